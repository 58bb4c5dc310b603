package org.mlarouter.bench;

import org.mlarouter.config.TopicRole;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.mlarouter.avro.AssistanceRequest;
import org.mlarouter.clients.TopicSetup;
import org.mlarouter.config.RouterSettings;
import org.mlarouter.net.Ports;
import org.mlarouter.testing.Await;
import org.mlarouter.testing.RouterProcess;

/**
 * The benchmark's recovery phase (KIP-892): under exactly-once v2, how long the router takes to decide again after a
 * {@code kill -9} with {@code --restore-ids} request statuses in its stores, with {@code enable.transactional.statestores}
 * off and on. The router runs as shipped, {@code java -jar target/mla-router.jar run}, in a process of its own; a steady
 * trickle of new requests keeps it inside a transaction when it is killed. The time runs from starting the new process
 * until a new request on every partition has a status at the operator endpoint (so every task has restored and processed
 * its backlog): JVM start and Kafka Streams' start are in it, as they are in any real restart.
 */
final class RecoveryPhase {

    private static final int TRICKLE_PER_SECOND = 1000;
    /** Kafka Streams 4.4's two ways of saying a store cannot be trusted under EOS (then wiped and restored). */
    private static final java.util.regex.Pattern CORRUPT = java.util.regex.Pattern.compile(
            "State store (\\S+) (?:did not find checkpoint offsets|didn't find a valid state)");
    private static final java.util.regex.Pattern RESTORED = java.util.regex.Pattern.compile("Finished restoring changelog .* total number of (\\d+) records");

    private RecoveryPhase() {
    }

    static String table(final BenchmarkStack stack, final RouterSettings defaults, final int ids) throws Exception {
        final String topic = "bench.recovery";
        stack.createAndProduce(topic, ids);
        final StringBuilder text = new StringBuilder(String.format("Recovery after kill -9 (exactly_once_v2, RocksDB, %,d request"
                + " statuses, a trickle of %,d requests/s): from starting the new process until a new request on every partition"
                + " is decided%n%n", ids, TRICKLE_PER_SECOND));
        text.append("| enable.transactional.statestores | restart to deciding on every partition, s | stores found corrupted at start (which) | changelog records restored |\n|---|---|---|---|\n");
        for (final boolean transactional : List.of(false, true)) {
            final String applicationId = "bench-recovery-" + (transactional ? "transactional" : "plain");
            final int httpPort = Ports.free();
            final Map<String, String> settings = new LinkedHashMap<>(stack.settings(applicationId, Configuration.EXACTLY_ONCE).describe());
            settings.put("mla.topic.requests", topic);
            settings.put("mla.http.port", String.valueOf(httpPort));
            settings.put(StreamsConfig.STATE_DIR_CONFIG, stack.workDir().resolve("state-" + applicationId).toString());
            settings.put(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, String.valueOf(transactional));
            // The killed member's partitions move after the session timeout: 6 s, as in the fault scenarios, rather
            // than Kafka's 45 s, which would otherwise be most of what is measured.
            settings.put("session.timeout.ms", "6000");
            settings.put("heartbeat.interval.ms", "1500");
            final RouterSettings routerSettings = RouterSettings.of(settings);
            final List<String> outputs = List.of(routerSettings.router().topic(TopicRole.ACCEPTED), routerSettings.router().topic(TopicRole.REFUSED),
                    routerSettings.router().topic(TopicRole.NEEDS_REVIEW), routerSettings.router().topic(TopicRole.DEAD_LETTERS));
            final List<String> arguments = new ArrayList<>(List.of("run"));
            settings.forEach((key, value) -> arguments.addAll(List.of("-p", key + "=" + value)));
            try (Admin admin = Admin.create(routerSettings.adminProperties())) {
                new TopicSetup(admin, routerSettings.router()).createMissing(Configuration.MAIN_PARTITIONS, (short) 1);
                final Path firstLog = stack.workDir().resolve(applicationId + "-first.log");
                final Path secondLog = stack.workDir().resolve(applicationId + "-after-kill.log");
                final double seconds;
                try (RouterProcess first = RouterProcess.start(firstLog, arguments).awaitRunning(Duration.ofSeconds(120));
                     Trickle trickle = new Trickle(stack, topic, applicationId)) {
                    Await.until(String.format("%s to decide the %,d requests", applicationId, ids), Duration.ofMinutes(15),
                            () -> BenchmarkStack.outputsAtLeast(admin, outputs, ids));
                    trickle.start();
                    Await.until("the trickle to be decided for ten seconds", Duration.ofMinutes(2),
                            () -> BenchmarkStack.outputsAtLeast(admin, outputs, ids + 10L * TRICKLE_PER_SECOND));
                    first.kill();
                    final long begin = System.nanoTime();
                    // Kafka Streams' restore summary ("Finished restoring changelog … with a total number of N records").
                    try (RouterProcess second = RouterProcess.start(secondLog, List.of(
                            "-Dorg.slf4j.simpleLogger.log.org.apache.kafka.streams.processor.internals.StoreChangelogReader=info"), arguments)) {
                        final List<String> probes = stack.sendProbes(topic, applicationId);
                        Await.until("a status for a new request on every partition after the kill", Duration.ofMinutes(10),
                                () -> probes.stream().allMatch(probe -> decided(httpPort, probe)));
                        seconds = (System.nanoTime() - begin) / 1e9;
                        final List<String> wiped = second.log().lines().map(CORRUPT::matcher).filter(java.util.regex.Matcher::find)
                                .map(match -> match.group(1)).toList();
                        final long restored = second.log().lines().map(RESTORED::matcher).filter(java.util.regex.Matcher::find)
                                .mapToLong(match -> Long.parseLong(match.group(1))).sum();
                        final String row = String.format("| %s | %.1f | %d (%s) | %,d |%n", transactional ? "on" : "off", seconds, wiped.size(),
                                wiped.stream().distinct().sorted().collect(java.util.stream.Collectors.joining(", ")), restored);
                        System.out.print("recovery " + row);
                        // Kept for reading: the work directory goes at the end of the run.
                        java.nio.file.Files.createDirectories(Path.of("target/benchmarks"));
                        java.nio.file.Files.copy(secondLog, Path.of("target/benchmarks").resolve(secondLog.getFileName()),
                                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                        text.append(row);
                    }
                }
            }
        }
        return text.toString();
    }

    private static boolean decided(final int httpPort, final String requestId) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/requests/" + requestId))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (final java.io.IOException e) {
            return false;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** New requests at a steady rate on a thread of its own, until closed. */
    private static final class Trickle implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        Trickle(final BenchmarkStack stack, final String topic, final String applicationId) {
            this.thread = new Thread(() -> {
                final List<AssistanceRequest> samples = stack.sampleRequests();
                try (KafkaProducer<String, AssistanceRequest> producer = new KafkaProducer<>(Map.of("bootstrap.servers", stack.bootstrapServers()),
                        new StringSerializer(), stack.serializer())) {
                    final long start = System.nanoTime();
                    for (long n = 0; running.get(); n++) {
                        final AssistanceRequest request = samples.get((int) (n % samples.size()));
                        request.setRequestId(applicationId + "-trickle-" + n);
                        producer.send(new ProducerRecord<>(topic, request.getRequestId(), request));
                        final long due = start + n * 1_000_000_000L / TRICKLE_PER_SECOND;
                        final long wait = due - System.nanoTime();
                        if (wait > 0) {
                            java.util.concurrent.locks.LockSupport.parkNanos(wait);
                        }
                    }
                }
            }, "recovery-trickle");
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(30_000);
        }
    }
}
