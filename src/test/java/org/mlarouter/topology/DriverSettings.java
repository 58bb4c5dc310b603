package org.mlarouter.topology;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Properties;

import org.apache.kafka.streams.StreamsConfig;
import org.mlarouter.config.RouterConfig;

/** The Streams settings of a {@code TopologyTestDriver} running the router: its required settings, and a fixed clock. */
final class DriverSettings {

    private DriverSettings() {
    }

    static Properties of(final RouterConfig config, final String applicationId, final Path stateDir, final Instant now) {
        final Properties streamsConfig = new Properties();
        streamsConfig.putAll(RouterTopology.requiredStreamsConfig(config));
        streamsConfig.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        streamsConfig.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        streamsConfig.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        streamsConfig.put(RouterContext.CONFIG, RouterContext.NONE.withClock(Clock.fixed(now, ZoneOffset.UTC)));
        return streamsConfig;
    }
}
