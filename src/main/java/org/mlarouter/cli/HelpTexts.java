package org.mlarouter.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.ListResourceBundle;
import java.util.ResourceBundle;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.streams.StreamsConfig;
import org.mlarouter.config.RouterConfig;
import org.mlarouter.config.RouterSettings;

/**
 * The descriptions of options that set a configuration key, as a picocli resource bundle keyed by that key (an
 * option names it with {@code descriptionKey}): each is the key's documentation in its {@link ConfigDef} with the
 * ConfigDef's default, so {@code --help} never disagrees with the defaults in force.
 */
final class HelpTexts {

    private HelpTexts() {
    }

    static ResourceBundle bundle() {
        final List<Object[]> entries = new ArrayList<>();
        for (final ConfigDef.ConfigKey key : RouterConfig.configDef().configKeys().values()) {
            entries.add(new Object[] {key.name, key.documentation + " (default: " + defaultOf(key) + ")"});
        }
        entries.add(new Object[] {StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "Kafka brokers (default: " + RouterSettings.DEFAULT_BOOTSTRAP_SERVERS + ")."});
        entries.add(new Object[] {StreamsConfig.APPLICATION_ID_CONFIG,
            "Kafka Streams application.id, also the consumer group (default: " + RouterSettings.DEFAULT_APPLICATION_ID + ")."});
        final Object[][] contents = entries.toArray(Object[][]::new);
        return new ListResourceBundle() {
            @Override
            protected Object[][] getContents() {
                return contents;
            }
        };
    }

    /** A key's default as a user would write it. */
    static String defaultOf(final ConfigDef.ConfigKey key) {
        if (!key.hasDefault()) {
            return "none";
        }
        return key.defaultValue instanceof Class ? ((Class<?>) key.defaultValue).getName() : ConfigDef.convertToString(key.defaultValue, key.type);
    }
}
