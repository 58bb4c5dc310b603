package org.mlarouter.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.mlarouter.config.RouterSettings;
import org.mlarouter.net.Ports;
import org.mlarouter.ops.OperatorView.Answer;

/** The intake when Kafka is not there: the agency is told to send again later, and nothing is taken as decided. */
class RequestIntakeTest {

    private static RouterSettings nowhere() {
        final Map<String, String> values = new HashMap<>(org.mlarouter.testing.SigningKeys.settings());
        values.put("bootstrap.servers", "127.0.0.1:" + Ports.free());
        values.put("schema.registry.url", "mock://intake-test");
        values.put("application.id", "intake-test");
        return RouterSettings.of(values);
    }

    @Test
    void shouldAnswer503WithRetryAfterWhenKafkaDoesNotTakeTheRequest() throws Exception {
        final String request = Files.readAllLines(Path.of("examples/requests.jsonl")).get(0);
        final AtomicInteger asked = new AtomicInteger();
        try (RequestIntake intake = new RequestIntake(nowhere())) {
            final long start = System.nanoTime();
            final Answer answer = intake.submit(request.getBytes(StandardCharsets.UTF_8), "agency", Optional.of("Office of the Prosecutor General"),
                    Duration.ZERO, id -> {
                        asked.incrementAndGet();
                        return Answer.error(404, "No request " + id + " has been decided");
                    });

            assertEquals(503, answer.status(), answer.json().toString());
            assertEquals(5, answer.json().path("retryAfterSeconds").asInt());
            assertTrue(answer.json().path("message").asText().startsWith("Kafka did not take the request within 10 s"), answer.json().toString());
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 30, "it gives up in its bound, not after a client's default");

            // Not remembered as written: the agency's retry is tried again, not answered as received.
            final Answer retry = intake.submit(request.getBytes(StandardCharsets.UTF_8), "agency", Optional.of("Office of the Prosecutor General"),
                    Duration.ZERO, id -> Answer.error(404, "none"));
            assertEquals(503, retry.status());
            assertEquals(1, asked.get(), "the first call asked for the status once");
        }
    }

    @Test
    void shouldRefuseWhatIsNotARequestNamingTheFieldWithoutWriting() throws Exception {
        final String request = Files.readAllLines(Path.of("examples/requests.jsonl")).get(0);
        try (RequestIntake intake = new RequestIntake(nowhere())) {
            final Answer kind = intake.submit(request.replace("\"MUTUAL_LEGAL_ASSISTANCE\"", "\"HELP\"").getBytes(StandardCharsets.UTF_8), "agency",
                    Optional.empty(), Duration.ZERO, id -> Answer.error(404, "none"));
            assertEquals(400, kind.status());
            assertEquals("kind", kind.json().path("field").asText(), kind.json().toString());
            final Answer notJson = intake.submit("{".getBytes(StandardCharsets.UTF_8), "agency", Optional.empty(), Duration.ZERO, id -> Answer.error(404, "none"));
            assertEquals(400, notJson.status());
            final Answer other = intake.submit(request.getBytes(StandardCharsets.UTF_8), "paris", Optional.of("Parquet de Paris"), Duration.ZERO,
                    id -> Answer.error(404, "none"));
            assertEquals(403, other.status(), "another authority's request");
        }
    }
}
