package org.mlarouter.runtime;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlarouter.config.RouterConfig;
import org.mlarouter.config.RouterSettings;
import org.mlarouter.net.Ports;
import org.mlarouter.testing.Await;

class RouterApplicationTest {

    @TempDir
    Path stateDir;

    @Test
    void shouldCloseWhatItOpenedWhenTheStartFails() throws Exception {
        final String applicationId = "start-fails-" + UUID.randomUUID();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            final RouterSettings settings = RouterSettings.of(Map.of(
                    StreamsConfig.APPLICATION_ID_CONFIG, applicationId,
                    StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1",
                    StreamsConfig.STATE_DIR_CONFIG, stateDir.toString(),
                    RouterConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://" + applicationId,
                    RouterConfig.HTTP_PORT_CONFIG, String.valueOf(taken.getLocalPort())));

            // The operator endpoint is opened after the streams client: its port is taken, so the start fails there.
            assertThrows(Ports.PortInUseException.class, () -> RouterApplication.start(settings, Clock.systemUTC()));
        }
        // The streams client had made its admin client (a thread named after the application id): it is closed again.
        Await.until("no thread of " + applicationId + " left", Duration.ofSeconds(30), () -> Thread.getAllStackTraces().keySet()
                .stream().noneMatch(thread -> thread.isAlive() && thread.getName().contains(applicationId)));
    }
}
