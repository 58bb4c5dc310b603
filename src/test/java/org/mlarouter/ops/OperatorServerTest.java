package org.mlarouter.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

class OperatorServerTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicReference<KafkaStreams.State> state = new AtomicReference<>(KafkaStreams.State.REBALANCING);

    private HttpResponse<String> get(final OperatorServer server, final String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldBeReadyOnlyWhileRunningAndLiveUntilFailed() throws Exception {
        try (OperatorServer server = OperatorServer.start("127.0.0.1", 0, state::get, java.util.Optional::empty, () -> "m 1\n", "Topologies: test")) {
            assertEquals(503, get(server, "/health/ready").statusCode());
            assertEquals(200, get(server, "/health/live").statusCode());

            state.set(KafkaStreams.State.RUNNING);
            final HttpResponse<String> ready = get(server, "/health/ready");
            assertEquals(200, ready.statusCode());
            assertEquals("{\"status\":\"UP\",\"state\":\"RUNNING\"}\n", ready.body());

            state.set(KafkaStreams.State.ERROR);
            assertEquals(503, get(server, "/health/live").statusCode());
            assertEquals(503, get(server, "/health/ready").statusCode());
        }
    }

    @Test
    void shouldServeMetricsTopologyAndNothingElse() throws Exception {
        try (OperatorServer server = OperatorServer.start("127.0.0.1", 0, state::get, java.util.Optional::empty, () -> "mla_decisions_total 3.0\n", "Topologies: test")) {
            final HttpResponse<String> metrics = get(server, "/metrics");
            assertEquals("mla_decisions_total 3.0\n", metrics.body());
            assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
            assertEquals("Topologies: test", get(server, "/topology").body());
            assertEquals(404, get(server, "/admin").statusCode());
            assertEquals(405, http.send(HttpRequest.newBuilder(URI.create(server.url() + "/metrics"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        }
    }

    @Test
    void shouldNotBeReadyWhileCoverageWaitsAndSayWhy() throws Exception {
        final AtomicReference<java.util.Optional<String>> problem = new AtomicReference<>(
                java.util.Optional.of("Schema Registry at http://127.0.0.1:1 cannot be reached"));
        state.set(KafkaStreams.State.RUNNING);
        try (OperatorServer server = OperatorServer.start("127.0.0.1", 0, state::get, problem::get, () -> "m 1\n", "Topologies: test")) {
            final HttpResponse<String> waiting = get(server, "/health/ready");
            assertEquals(503, waiting.statusCode());
            assertEquals("{\"status\":\"DOWN\",\"state\":\"RUNNING\",\"problem\":\"Schema Registry at http://127.0.0.1:1 cannot be reached\"}\n",
                    waiting.body());
            assertEquals(200, get(server, "/health/live").statusCode(), "alive all the same");

            problem.set(java.util.Optional.empty());
            assertEquals(200, get(server, "/health/ready").statusCode());
        }
    }
}
