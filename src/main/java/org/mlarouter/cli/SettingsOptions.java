package org.mlarouter.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.mlarouter.config.TopicRole;
import org.mlarouter.clients.Reachability;
import org.mlarouter.config.RouterSettings;
import org.mlarouter.config.HttpKeys;
import org.mlarouter.config.RouterConfig;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * The options every command that talks to Kafka shares, mapped onto one {@link RouterSettings}. Precedence, lowest
 * first: defaults, {@code --config FILE}, {@code KAFKA_*} environment variables (as in bakdata's streams-bootstrap:
 * {@code KAFKA_SASL_MECHANISM} is {@code sasl.mechanism}), {@code --property KEY=VALUE}, then the named options (each
 * also read from {@code APP_<OPTION>}, e.g. {@code APP_BOOTSTRAP_SERVERS}).
 */
public final class SettingsOptions {

    // Descriptions come from the ConfigDefs (see HelpTexts), so their defaults cannot drift from the ones in force.
    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]", descriptionKey = StreamsConfig.BOOTSTRAP_SERVERS_CONFIG)
    String bootstrapServers;

    @Option(names = "--schema-registry-url", paramLabel = "URL", descriptionKey = RouterConfig.SCHEMA_REGISTRY_URL_CONFIG)
    String schemaRegistryUrl;

    @Option(names = "--application-id", paramLabel = "ID", descriptionKey = StreamsConfig.APPLICATION_ID_CONFIG)
    String applicationId;

    @Option(names = "--home-state", paramLabel = "CC", descriptionKey = RouterConfig.HOME_STATE_CONFIG)
    String homeState;

    @Option(names = "--http-host", paramLabel = "ADDRESS", descriptionKey = HttpKeys.HTTP_HOST_CONFIG)
    String httpHost;

    @Option(names = "--http-port", paramLabel = "PORT", descriptionKey = HttpKeys.HTTP_PORT_CONFIG)
    String httpPort;

    /** The topics named on the command line: one option per {@link TopicRole} ({@link #addTopicOptions}). */
    private final Map<TopicRole, String> topics = new EnumMap<>(TopicRole.class);

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Properties file of Kafka client, Kafka Streams, serde and router settings.")
    Path configFile;

    @Option(names = {"-p", "--property"}, paramLabel = "KEY=VALUE",
            description = "One setting (repeatable), e.g. -p security.protocol=SASL_SSL. See 'mla-router config' for the router's keys.")
    Map<String, String> properties = new LinkedHashMap<>();

    /**
     * The settings of a tool that talks to Kafka (and the Schema Registry, when {@code registryToo}), once both answer:
     * otherwise it fails with one line naming the address.
     */
    public RouterSettings reachableSettings(final Map<String, String> environment, final boolean registryToo) throws InterruptedException {
        final RouterSettings settings = settings(environment);
        Reachability.requireKafka(settings);
        if (registryToo) {
            Reachability.requireRegistry(settings);
        }
        return settings;
    }

    /** The settings these options describe, in the given environment. */
    public RouterSettings settings(final Map<String, String> environment) {
        final Map<String, String> merged = new HashMap<>();
        if (configFile != null) {
            merged.putAll(readProperties(configFile));
        }
        environment.forEach((name, value) -> {
            if (name.startsWith("KAFKA_") && name.length() > "KAFKA_".length()) {
                final String key = name.substring("KAFKA_".length()).toLowerCase(Locale.ROOT).replace('_', '.');
                if (RouterSettings.isKnown(key)) {
                    merged.put(key, value);
                }
            }
        });
        merged.putAll(properties);
        putIfGiven(merged, StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        putIfGiven(merged, RouterConfig.SCHEMA_REGISTRY_URL_CONFIG, schemaRegistryUrl);
        putIfGiven(merged, StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        putIfGiven(merged, RouterConfig.HOME_STATE_CONFIG, homeState);
        topics.forEach((role, topic) -> merged.put(role.configKey(), topic));
        putIfGiven(merged, HttpKeys.HTTP_HOST_CONFIG, httpHost);
        putIfGiven(merged, HttpKeys.HTTP_PORT_CONFIG, httpPort);
        return RouterSettings.of(merged);
    }

    /**
     * Gives every command that mixes these options in one option per {@link TopicRole}, e.g. {@code --requests-topic},
     * described by its configuration key's documentation (the picocli resource bundle of {@link HelpTexts}).
     */
    static void addTopicOptions(final CommandLine commandLine) {
        final CommandSpec spec = commandLine.getCommandSpec();
        for (final CommandSpec mixin : spec.mixins().values()) {
            if (mixin.userObject() instanceof SettingsOptions options) {
                for (final TopicRole role : TopicRole.values()) {
                    spec.addOption(OptionSpec.builder(role.option()).paramLabel("TOPIC").type(String.class).descriptionKey(role.configKey())
                            .setter(new CommandLine.Model.ISetter() {
                                @Override
                                @SuppressWarnings("unchecked")
                                public <T> T set(final T value) {
                                    return (T) (value == null ? options.topics.remove(role) : options.topics.put(role, (String) value));
                                }
                            }).build());
                }
            }
        }
        commandLine.getSubcommands().values().forEach(SettingsOptions::addTopicOptions);
    }

    private static void putIfGiven(final Map<String, String> settings, final String key, final String value) {
        if (value != null) {
            settings.put(key, value);
        }
    }

    private static Map<String, String> readProperties(final Path file) {
        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (final IOException e) {
            throw new ConfigException("--config " + file + ": cannot be read (" + e.getMessage() + ")");
        }
        final Map<String, String> values = new HashMap<>();
        properties.stringPropertyNames().forEach(name -> values.put(name, properties.getProperty(name).trim()));
        return values;
    }
}
