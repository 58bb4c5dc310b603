package org.mlarouter.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.common.config.ConfigException;
import org.mlarouter.app.RouterSettings;
import org.mlarouter.topology.RouterConfig;
import picocli.CommandLine.Option;

/**
 * The options every command that talks to Kafka shares, mapped onto one {@link RouterSettings}. Precedence, lowest
 * first: defaults, {@code --config FILE}, {@code KAFKA_*} environment variables (as in bakdata's streams-bootstrap:
 * {@code KAFKA_SASL_MECHANISM} is {@code sasl.mechanism}), {@code --property KEY=VALUE}, then the named options (each
 * also read from {@code APP_<OPTION>}, e.g. {@code APP_BOOTSTRAP_SERVERS}).
 */
public final class SettingsOptions {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            description = "Kafka brokers (default: " + RouterSettings.DEFAULT_BOOTSTRAP_SERVERS + ").")
    String bootstrapServers;

    @Option(names = "--schema-registry-url", paramLabel = "URL",
            description = "Schema Registry URL(s), comma-separated (default: http://127.0.0.1:8081).")
    String schemaRegistryUrl;

    @Option(names = "--application-id", paramLabel = "ID",
            description = "Kafka Streams application.id, also the consumer group (default: " + RouterSettings.DEFAULT_APPLICATION_ID + ").")
    String applicationId;

    @Option(names = "--home-state", paramLabel = "CC", description = "ISO code of the home state (default: KZ).")
    String homeState;

    @Option(names = "--requests-topic", paramLabel = "TOPIC", description = "Request topic (default: mla.requests).")
    String requestsTopic;

    @Option(names = "--treaties-topic", paramLabel = "TOPIC", description = "Treaty coverage topic (default: mla.treaties).")
    String treatiesTopic;

    @Option(names = "--accepted-topic", paramLabel = "TOPIC", description = "Topic of ACCEPTED decisions (default: mla.decisions.accepted).")
    String acceptedTopic;

    @Option(names = "--refused-topic", paramLabel = "TOPIC", description = "Topic of REFUSED decisions (default: mla.decisions.refused).")
    String refusedTopic;

    @Option(names = "--needs-review-topic", paramLabel = "TOPIC",
            description = "Topic of NEEDS_REVIEW decisions (default: mla.decisions.needs-review).")
    String needsReviewTopic;

    @Option(names = "--dead-letter-topic", paramLabel = "TOPIC", description = "Dead-letter topic (default: mla.requests.dlq).")
    String deadLetterTopic;

    @Option(names = "--http-host", paramLabel = "ADDRESS", description = "Address of the operator endpoint /metrics, /health/*, /topology (default: 127.0.0.1).")
    String httpHost;

    @Option(names = "--http-port", paramLabel = "PORT", description = "Port of the operator endpoint; -1 turns it off (default: 8080).")
    String httpPort;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Properties file of Kafka client, Kafka Streams, serde and router settings.")
    Path configFile;

    @Option(names = {"-p", "--property"}, paramLabel = "KEY=VALUE",
            description = "One setting (repeatable), e.g. -p security.protocol=SASL_SSL. See 'mla-router config' for the router's keys.")
    Map<String, String> properties = new LinkedHashMap<>();

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
        putIfGiven(merged, "bootstrap.servers", bootstrapServers);
        putIfGiven(merged, RouterConfig.SCHEMA_REGISTRY_URL_CONFIG, schemaRegistryUrl);
        putIfGiven(merged, "application.id", applicationId);
        putIfGiven(merged, RouterConfig.HOME_STATE_CONFIG, homeState);
        putIfGiven(merged, RouterConfig.REQUESTS_TOPIC_CONFIG, requestsTopic);
        putIfGiven(merged, RouterConfig.TREATIES_TOPIC_CONFIG, treatiesTopic);
        putIfGiven(merged, RouterConfig.ACCEPTED_TOPIC_CONFIG, acceptedTopic);
        putIfGiven(merged, RouterConfig.REFUSED_TOPIC_CONFIG, refusedTopic);
        putIfGiven(merged, RouterConfig.NEEDS_REVIEW_TOPIC_CONFIG, needsReviewTopic);
        putIfGiven(merged, RouterConfig.DEAD_LETTER_TOPIC_CONFIG, deadLetterTopic);
        putIfGiven(merged, RouterConfig.HTTP_HOST_CONFIG, httpHost);
        putIfGiven(merged, RouterConfig.HTTP_PORT_CONFIG, httpPort);
        return RouterSettings.of(merged);
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
