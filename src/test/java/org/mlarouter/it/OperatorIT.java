package org.mlarouter.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mlarouter.net.Ports;
import org.mlarouter.testing.Await;
import org.mlarouter.testing.Cli;
import org.mlarouter.config.TopicRole;
import org.mlarouter.testing.KafkaStack;
import org.mlarouter.testing.RouterUnderTest;

/**
 * The operator's view of a running router: its HTTP endpoint, a real Prometheus (Debian's) scraping it, and the
 * Grafana dashboard's queries checked against the metrics the router really exposes.
 */
class OperatorIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern METRIC_NAME = Pattern.compile("\\b((?:mla|kafka)_[a-z_]+)\\b");

    @RegisterExtension
    static final KafkaStack KAFKA = KafkaStack.plain();

    @TempDir
    Path workDir;

    private final HttpClient http = HttpClient.newHttpClient();

    /**
     * A start that fails after the streams client exists (the operator endpoint's port is taken, and the endpoint opens
     * after the client) closes the client again: no thread named after the application is left.
     */
    @Test
    void shouldCloseWhatItOpenedWhenTheStartFails() throws Exception {
        final RouterUnderTest app = KAFKA.router("start-fails", 1);
        final String applicationId = app.settings().applicationId();
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            final org.mlarouter.config.RouterSettings settings = app.settings().with(Map.of(
                    org.apache.kafka.streams.StreamsConfig.STATE_DIR_CONFIG, workDir.resolve("state").toString(),
                    org.mlarouter.config.HttpKeys.HTTP_PORT_CONFIG, String.valueOf(taken.getLocalPort())));

            assertThrows(Ports.PortInUseException.class, () -> org.mlarouter.runtime.RouterApplication.start(settings, java.time.Clock.systemUTC()));
        }
        Await.until("no thread of " + applicationId + " left", Duration.ofSeconds(30), () -> Thread.getAllStackTraces().keySet()
                .stream().noneMatch(thread -> thread.isAlive() && thread.getName().contains(applicationId)));
    }

    @Test
    void shouldExposeWhatWasRoutedToPrometheusAndTheDashboard() throws Exception {
        final int httpPort = Ports.free();
        final String operator = "http://127.0.0.1:" + httpPort;
        final RouterUnderTest app = KAFKA.router("operator", 2);
        final Cli cli = app.cli();
        try (Cli.Background router = app.startInJvm(workDir.resolve("state"), "--http-port", String.valueOf(httpPort))) {
            assertTrue(router.out().contains("operator endpoint " + operator + "/metrics"), router.out());
            assertEquals(200, get(operator + "/health/ready").statusCode());
            assertEquals(200, get(operator + "/health/live").statusCode());
            assertTrue(get(operator + "/topology").body().contains("decode-request"));

            cli.run(List.of("treaties", "load"), "src/main/resources/treaties/kz-treaties.json").ok();
            // submit --wait: each request's first decision as it arrives, then a summary.
            final org.mlarouter.testing.Cli.Result submitted = cli.run(List.of("submit"), "examples/requests.jsonl", "--wait").ok();
            final List<String> answers = submitted.outLines().stream().filter(line -> line.startsWith("KZ-") || line.startsWith("FR-")
                    || line.startsWith("UZ-")).toList();
            assertEquals(18, answers.size(), submitted.out);
            assertTrue(submitted.out.contains("5 accepted, 5 refused, 8 needs review; 0 dead-lettered"), submitted.out);
            try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(app.settings().producerProperties(),
                    new StringSerializer(), new ByteArraySerializer())) {
                raw.send(new ProducerRecord<>(app.topic(TopicRole.REQUESTS), "garbage", "not avro".getBytes(StandardCharsets.UTF_8))).get();
                raw.send(new ProducerRecord<>(app.topic(TopicRole.REQUESTS), "tombstone", null)).get();
            }
            final Map<String, Integer> routed = new HashMap<>();
            for (final String line : cli.run(List.of("tail"), "--from-beginning", "--max-messages", "18", "--idle-timeout", "60").ok().outLines()) {
                routed.merge(MAPPER.readTree(line).get("route").asText().toLowerCase(java.util.Locale.ROOT), 1, Integer::sum);
            }
            assertEquals(18, routed.values().stream().mapToInt(Integer::intValue).sum());
            // Records, not offsets: the router's outputs are transactional, each commit a marker that takes an offset.
            final java.util.concurrent.atomic.AtomicReference<com.fasterxml.jackson.databind.JsonNode> counted = new java.util.concurrent.atomic.AtomicReference<>();
            Await.until("throughput to count the two dead letters too", Duration.ofSeconds(60), () -> {
                try {
                    counted.set(MAPPER.readTree(cli.run(List.of("throughput"), "--once", "--json", "--interval", "1").ok().out.strip()).get("topics"));
                } catch (final java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                return counted.get().get(app.topic(TopicRole.DEAD_LETTERS)).get("records").asInt() >= 2;
            });
            final com.fasterxml.jackson.databind.JsonNode throughput = counted.get();
            assertEquals(20, throughput.get(app.topic(TopicRole.REQUESTS)).get("records").asInt(), "18 requests, the garbage and the tombstone");
            for (final TopicRole route : List.of(TopicRole.ACCEPTED, TopicRole.REFUSED, TopicRole.NEEDS_REVIEW)) {
                assertEquals(routed.getOrDefault(route.name().toLowerCase(java.util.Locale.ROOT), 0), throughput.get(app.topic(route)).get("records").asInt(),
                        route + ": " + throughput);
            }
            assertEquals(2, throughput.get(app.topic(TopicRole.DEAD_LETTERS)).get("records").asInt(), throughput.toString());
            // The dead-letter page: by reason, step and source, with times; never the records' content.
            Await.until("the console to count the two dead letters", Duration.ofSeconds(60),
                    () -> get(operator + "/console/api/dead-letters").body().contains("\"total\":2,"));
            final String deadLetters = get(operator + "/console/api/dead-letters").body();
            final com.fasterxml.jackson.databind.JsonNode byReason = MAPPER.readTree(deadLetters).get("byReason");
            final Map<String, String> sources = new HashMap<>();
            byReason.forEach(group -> sources.put(group.get("reason").asText(), group.get("source").asText() + " " + group.get("count").asInt()));
            assertEquals(Map.of("NOT_CONFLUENT_FRAMING", app.topic(TopicRole.REQUESTS) + " 1", "NULL_VALUE", app.topic(TopicRole.REQUESTS) + " 1"),
                    sources, deadLetters);
            assertFalse(deadLetters.contains("not avro") || deadLetters.contains("garbage"), "no content, no key: " + deadLetters);
            final org.mlarouter.testing.Cli.Result waiting = cli.run(List.of("tail"), "--idle-timeout", "1").ok();
            assertTrue(waiting.err.startsWith("mla-router: waiting for new decisions on "), "tail says it waits: " + waiting.err);
            assertEquals("", waiting.out, "no decision is new");

            final String metrics = get(operator + "/metrics").body();
            assertFalse(metrics.contains("Demo-Suspect") || metrics.contains("Demo-Witness"), "no personal data in /metrics");
            final Set<String> exposed = new TreeSet<>();
            for (final String line : metrics.split("\n")) {
                if (!line.startsWith("#") && !line.isBlank()) {
                    exposed.add(line.split("[{ ]")[0]);
                }
            }
            final JsonNode dashboard = MAPPER.readTree(Path.of("deploy/grafana/dashboards/mla-router.json").toFile());
            final Set<String> queried = new TreeSet<>();
            for (final JsonNode panel : dashboard.get("panels")) {
                for (final JsonNode target : panel.get("targets")) {
                    final Matcher names = METRIC_NAME.matcher(target.get("expr").asText());
                    while (names.find()) {
                        queried.add(names.group(1));
                    }
                }
            }
            assertTrue(queried.size() >= 6, "the dashboard queries " + queried);
            for (final String name : queried) {
                assertTrue(exposed.contains(name), "the dashboard queries " + name + ", which /metrics does not expose");
            }

            final int prometheusPort = Ports.free();
            final Path config = Files.writeString(workDir.resolve("prometheus.yml"), "global:\n  scrape_interval: 1s\n"
                    + "scrape_configs:\n  - job_name: mla-router\n    static_configs:\n      - targets: ['127.0.0.1:" + httpPort + "']\n");
            final Process prometheus = new ProcessBuilder("prometheus", "--config.file=" + config,
                    "--storage.tsdb.path=" + workDir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + prometheusPort)
                    .redirectErrorStream(true).redirectOutput(workDir.resolve("prometheus.log").toFile()).start();
            try {
                final String api = "http://127.0.0.1:" + prometheusPort + "/api/v1/query?query=";
                Await.until("Prometheus to have scraped every decision", Duration.ofSeconds(60),
                        () -> query(api, "sum(mla_decisions_total)").getOrDefault("", -1.0) == 18.0);
                final Map<String, Double> byRoute = query(api, "sum by (route) (mla_decisions_total)");
                assertEquals(routed.keySet(), byRoute.keySet());
                routed.forEach((route, count) -> assertEquals(count.doubleValue(), byRoute.get(route), route));
                assertEquals(2.0, query(api, "sum(mla_dead_letters_total)").get(""), "a garbage record and a tombstone");
                assertEquals(18.0, query(api, "sum(mla_decision_lag_seconds_count)").get(""));
                // Every query of the dashboard, the statistics' included, is one Prometheus answers.
                for (final JsonNode panel : dashboard.get("panels")) {
                    for (final JsonNode target : panel.get("targets")) {
                        final String body = http.send(HttpRequest.newBuilder(URI.create(api + URLEncoder.encode(target.get("expr").asText(),
                                StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
                        assertTrue(body.startsWith("{\"status\":\"success\""), panel.get("title").asText() + ": " + body);
                    }
                }
            } finally {
                prometheus.destroy();
                prometheus.waitFor();
            }
        }
    }

    private HttpResponse<String> get(final String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (final IOException e) {
            throw new IllegalStateException(url + ": " + e, e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A Prometheus instant query: each result's value by its single label's value ("" without labels); empty if Prometheus is not up yet. */
    private Map<String, Double> query(final String api, final String promql) {
        final Map<String, Double> values = new HashMap<>();
        final HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(URI.create(api + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (final IOException e) {
            return values;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return values;
        }
        try {
            for (final JsonNode result : MAPPER.readTree(response.body()).path("data").path("result")) {
                final java.util.Iterator<JsonNode> labels = result.get("metric").elements();
                values.put(labels.hasNext() ? labels.next().asText() : "", result.get("value").get(1).asDouble());
            }
        } catch (final IOException e) {
            return values;
        }
        return values;
    }
}
