package org.mlarouter.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlarouter.ops.OperatorServer;
import org.mlarouter.registry.SchemaRegistryServer;
import org.mlarouter.serde.InMemorySchemaRegistry;

/**
 * Clients that open a connection and never finish their request must not keep anyone else from being answered: a
 * liveness probe that times out restarts a healthy router. Fifty such connections are held open to the operator
 * endpoint and to the embedded registry while each is asked for something, with one second to answer.
 */
class SlowClientsTest {

    private static final int STALLED = 50;
    private static final Duration PATIENCE = Duration.ofSeconds(1);

    private final List<Socket> stalled = new ArrayList<>();
    private OperatorServer operator;
    private SchemaRegistryServer registry;

    @BeforeEach
    void start() throws Exception {
        operator = OperatorServer.start("127.0.0.1", 0, () -> KafkaStreams.State.RUNNING, Optional::empty, () -> "m 1\n", "Topologies: test");
        registry = SchemaRegistryServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), new InMemorySchemaRegistry("slow"));
    }

    @AfterEach
    void stop() throws Exception {
        for (final Socket socket : stalled) {
            socket.close();
        }
        operator.close();
        registry.close();
    }

    @Test
    void shouldAnswerWhileFiftyConnectionsNeverFinishTheirHeaders() throws Exception {
        // One answer from each first, so that loading the client's and the servers' classes is not in the timed part.
        final HttpClient warmUp = HttpClient.newBuilder().connectTimeout(PATIENCE).build();
        for (final URI asked : List.of(operator.url().resolve("/health/live"), registry.url().resolve("/subjects"))) {
            assertEquals(200, warmUp.send(HttpRequest.newBuilder(asked).build(), HttpResponse.BodyHandlers.discarding()).statusCode());
        }
        stall(operator.url(), "/health/live");
        stall(registry.url(), "/subjects");

        // A new client, so each question opens a new connection, as a liveness probe does.
        final HttpClient http = HttpClient.newBuilder().connectTimeout(PATIENCE).build();

        for (final URI asked : List.of(operator.url().resolve("/health/live"), registry.url().resolve("/subjects"))) {
            final long started = System.nanoTime();
            final HttpResponse<String> response = http.send(HttpRequest.newBuilder(asked).timeout(PATIENCE).build(),
                    HttpResponse.BodyHandlers.ofString());
            final Duration took = Duration.ofNanos(System.nanoTime() - started);
            System.out.printf("%s answered %d in %d ms with %d connections stalled on each server%n", asked, response.statusCode(),
                    took.toMillis(), STALLED);
            assertEquals(200, response.statusCode(), asked + ": " + response.body());
            assertTrue(took.compareTo(PATIENCE) < 0, asked + " took " + took);
        }
    }

    /** Opens {@link #STALLED} connections to {@code base} that send half a request's headers and then nothing. */
    private void stall(final URI base, final String path) throws Exception {
        for (int i = 0; i < STALLED; i++) {
            final Socket socket = new Socket(base.getHost(), base.getPort());
            stalled.add(socket);
            final OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + base.getHost() + "\r\nX-Never: ").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
    }
}
