package org.mlarouter.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.mlarouter.app.RouterApplication;
import org.mlarouter.app.RouterSettings;
import org.mlarouter.app.TopicSetup;
import org.mlarouter.avro.AssistanceRequest;
import org.mlarouter.avro.TreatyCoverage;
import org.mlarouter.embedded.EmbeddedKafkaBroker;
import org.mlarouter.embedded.Ports;
import org.mlarouter.json.AvroJson;
import org.mlarouter.registry.SchemaRegistryServer;
import org.mlarouter.serde.InMemorySchemaRegistry;
import org.mlarouter.serde.SpecificAvroSerializer;
import org.mlarouter.treaty.TreatyPublisher;
import org.mlarouter.treaty.TreatyTable;

/**
 * Throughput of the router against the fastest a Kafka Streams application can be on the same broker and input: a
 * pass-through ({@code stream(in).to(out)}, byte-array serdes). Starts a real broker on loopback, pre-produces N
 * requests (the sample mix, Avro in the Confluent framing, unique ids), then runs each application over the same input
 * several times, each with a fresh application id, and reports records per second from RUNNING to the last input
 * offset committed, the CPU seconds of the application's own threads per million records, and the JVM heap after GC.
 *
 * <p>Not part of the test suite. Run: {@code mvn -B -q test-compile exec:java@benchmark -Dbenchmark.args="--records 1000000 --runs 3"}.
 */
public final class ThroughputBenchmark {

    private static final int PARTITIONS = 6;

    private final EmbeddedKafkaBroker broker;
    private final SchemaRegistryServer registry;
    private final Path workDir;
    private final int records;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    private ThroughputBenchmark(final EmbeddedKafkaBroker broker, final SchemaRegistryServer registry, final Path workDir, final int records) {
        this.broker = broker;
        this.registry = registry;
        this.workDir = workDir;
        this.records = records;
    }

    public static void main(final String[] args) throws Exception {
        int records = 200_000;
        int runs = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--records":
                    records = Integer.parseInt(args[++i]);
                    break;
                case "--runs":
                    runs = Integer.parseInt(args[++i]);
                    break;
                default:
                    System.err.println("benchmark: unknown argument " + args[i] + " (--records N, --runs N)");
                    System.exit(2);
            }
        }
        final Path workDir = Files.createTempDirectory("mla-router-benchmark");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start("127.0.0.1", Ports.free(), Ports.free(), workDir.resolve("kafka"), Map.of());
             SchemaRegistryServer registry = SchemaRegistryServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                     new InMemorySchemaRegistry("benchmark"))) {
            new ThroughputBenchmark(broker, registry, workDir, records).run(runs);
        }
        System.exit(0);
    }

    private void run(final int runs) throws Exception {
        final RouterSettings base = settings("bench-setup", "at_least_once");
        try (Admin admin = Admin.create(base.adminProperties())) {
            new TopicSetup(admin, base.router()).createMissing(PARTITIONS, (short) 1);
        }
        publishTreaties(base);
        final long produceStart = System.nanoTime();
        produceRequests(base.router().requestsTopic());
        System.out.printf("Produced %,d requests to %s (%d partitions) in %.1f s%n", records, base.router().requestsTopic(), PARTITIONS,
                (System.nanoTime() - produceStart) / 1e9);

        final Map<String, List<Result>> results = new LinkedHashMap<>();
        for (int run = 1; run <= runs; run++) {
            for (final String application : List.of("pass-through at_least_once", "router at_least_once",
                    "pass-through exactly_once_v2", "router exactly_once_v2")) {
                final Result result = measure(application, run);
                results.computeIfAbsent(application, ignored -> new ArrayList<>()).add(result);
                System.out.printf("run %d  %-30s %10.0f records/s  %6.1f CPU s per million  heap after GC %4d MiB%n", run, application,
                        result.recordsPerSecond, result.cpuSecondsPerMillion, result.heapAfterGcMiB);
            }
        }
        final String table = table(results, runs);
        System.out.println();
        System.out.print(table);
        Files.createDirectories(Path.of("target/benchmarks"));
        Files.writeString(Path.of("target/benchmarks/throughput.md"), table);
    }

    private RouterSettings settings(final String applicationId, final String guarantee) {
        final Map<String, String> values = new HashMap<>();
        values.put("bootstrap.servers", broker.bootstrapServers());
        values.put("schema.registry.url", registry.url().toString());
        values.put("application.id", applicationId);
        values.put("processing.guarantee", guarantee);
        values.put("state.dir", workDir.resolve("state").toString());
        values.put("mla.http.port", "-1");
        values.put("mla.topic.accepted", applicationId + ".accepted");
        values.put("mla.topic.refused", applicationId + ".refused");
        values.put("mla.topic.needs-review", applicationId + ".needs-review");
        values.put("mla.topic.dead-letters", applicationId + ".dlq");
        return RouterSettings.of(values);
    }

    private void publishTreaties(final RouterSettings settings) {
        final SpecificAvroSerializer<TreatyCoverage> serializer = new SpecificAvroSerializer<>();
        serializer.configure(Map.of("schema.registry.url", registry.url().toString()), false);
        try (KafkaProducer<String, TreatyCoverage> producer = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers()),
                new StringSerializer(), serializer)) {
            new TreatyPublisher(settings.router().treatiesTopic(), Clock.systemUTC()).publish(producer, TreatyTable.shipped("KZ"), Map.of());
        }
    }

    private void produceRequests(final String topic) throws IOException {
        final List<String> samples = Files.readAllLines(Path.of("examples/requests.jsonl"));
        final SpecificAvroSerializer<AssistanceRequest> serializer = new SpecificAvroSerializer<>();
        serializer.configure(Map.of("schema.registry.url", registry.url().toString()), false);
        try (KafkaProducer<String, AssistanceRequest> producer = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers(),
                "acks", "all", "linger.ms", 20, "batch.size", 262_144), new StringSerializer(), serializer)) {
            for (int i = 0; i < records; i++) {
                final AssistanceRequest request = AvroJson.parse(samples.get(i % samples.size()), AssistanceRequest.class);
                request.setRequestId("bench-" + i);
                producer.send(new ProducerRecord<>(topic, request.getRequestId(), request));
            }
            producer.flush();
        }
    }

    /** One run of one application over the whole input, with a fresh application id. */
    private Result measure(final String application, final int run) throws Exception {
        final String guarantee = application.endsWith("exactly_once_v2") ? "exactly_once_v2" : "at_least_once";
        final String applicationId = "bench-" + (application.startsWith("router") ? "router" : "pass") + "-"
                + guarantee.replace('_', '-') + "-" + run;
        final RouterSettings settings = settings(applicationId, guarantee);
        try (Admin admin = Admin.create(settings.adminProperties())) {
            new TopicSetup(admin, settings.router()).createMissing(PARTITIONS, (short) 1);
            admin.createTopics(List.of(new NewTopic(applicationId + ".out", PARTITIONS, (short) 1))).all().get();
        } catch (final java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                throw e;
            }
        }
        final CountDownLatch running = new CountDownLatch(1);
        final KafkaStreams streams;
        final AutoCloseable closer;
        if (application.startsWith("router")) {
            final RouterApplication router = RouterApplication.start(settings, Clock.systemUTC());
            streams = router.streams();
            closer = router;
            if (!router.awaitRunning(Duration.ofSeconds(120))) {
                throw new IllegalStateException(application + " did not reach RUNNING");
            }
            running.countDown();
        } else {
            final StreamsBuilder builder = new StreamsBuilder();
            builder.stream(settings.router().requestsTopic(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                    .to(applicationId + ".out", Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
            final Properties properties = new Properties();
            properties.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
            properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
            properties.put(StreamsConfig.STATE_DIR_CONFIG, workDir.resolve("state").toString());
            streams = new KafkaStreams(builder.build(), properties);
            streams.setStateListener((newState, oldState) -> {
                if (newState == KafkaStreams.State.RUNNING) {
                    running.countDown();
                }
            });
            streams.start();
            closer = () -> streams.close(Duration.ofSeconds(60));
            if (!running.await(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException(application + " did not reach RUNNING");
            }
        }
        try (AutoCloseable ignored = closer; Admin admin = Admin.create(settings.adminProperties())) {
            final long cpuBefore = cpuNanos(applicationId);
            final Instant start = Instant.now();
            // Done when the last output is committed. Under exactly-once: the input offsets committed with the last
            // transaction. Under at-least-once (commits every 30 s by default): every output record written.
            final List<String> outputs = application.startsWith("router")
                    ? List.of(settings.router().acceptedTopic(), settings.router().refusedTopic(), settings.router().needsReviewTopic(),
                            settings.router().deadLetterTopic())
                    : List.of(applicationId + ".out");
            while (progress(admin, guarantee, applicationId, settings.router().requestsTopic(), outputs) < records) {
                if (Duration.between(start, Instant.now()).toMinutes() >= 30) {
                    throw new IllegalStateException(application + " did not finish within 30 minutes");
                }
                // The resolution of the measurement: how often the committed offsets are read.
                TimeUnit.MILLISECONDS.sleep(100);
            }
            final double seconds = Duration.between(start, Instant.now()).toNanos() / 1e9;
            final double cpuSeconds = (cpuNanos(applicationId) - cpuBefore) / 1e9;
            System.gc();
            final long heapMiB = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024 * 1024);
            return new Result(records / seconds, cpuSeconds * 1_000_000.0 / records, heapMiB);
        }
    }

    /** Records done so far; 0 while a topic just created is not yet known everywhere. */
    private long progress(final Admin admin, final String guarantee, final String applicationId, final String input,
                          final List<String> outputs) throws InterruptedException {
        try {
            return "exactly_once_v2".equals(guarantee) ? committed(admin, applicationId, input) : endOffsets(admin, outputs);
        } catch (final java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.RetriableException) {
                return 0;
            }
            throw new IllegalStateException(e.getCause());
        } catch (final InterruptedException e) {
            throw e;
        } catch (final Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long endOffsets(final Admin admin, final List<String> topics) throws Exception {
        final Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(topics).allTopicNames().get().forEach((topic, description) -> description.partitions()
                .forEach(partition -> latest.put(new TopicPartition(topic, partition.partition()), org.apache.kafka.clients.admin.OffsetSpec.latest())));
        return admin.listOffsets(latest).all().get().values().stream().mapToLong(info -> info.offset()).sum();
    }

    private long committed(final Admin admin, final String groupId, final String topic) throws Exception {
        final Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
        long sum = 0;
        for (final Map.Entry<TopicPartition, OffsetAndMetadata> entry : offsets.entrySet()) {
            if (entry.getKey().topic().equals(topic) && entry.getValue() != null) {
                sum += entry.getValue().offset();
            }
        }
        return sum;
    }

    /** CPU time of the live threads that belong to an application (its client id starts with the application id). */
    private long cpuNanos(final String applicationId) {
        long sum = 0;
        for (final ThreadInfo info : threads.dumpAllThreads(false, false)) {
            if (info.getThreadName().contains(applicationId)) {
                final long cpu = threads.getThreadCpuTime(info.getThreadId());
                sum += Math.max(0, cpu);
            }
        }
        return sum;
    }

    private String table(final Map<String, List<Result>> results, final int runs) {
        final StringBuilder text = new StringBuilder();
        text.append(String.format("Throughput, %,d requests, %d partitions, %d runs each (median [min - max])%n%n", records, PARTITIONS, runs));
        text.append("| application | records/s | ratio to pass-through (same guarantee) | CPU s per million records (its threads) | heap after GC, MiB (JVM, broker included) |\n");
        text.append("|---|---|---|---|---|\n");
        for (final Map.Entry<String, List<Result>> entry : results.entrySet()) {
            final List<Double> rates = new ArrayList<>();
            final List<Double> cpu = new ArrayList<>();
            final List<Double> heap = new ArrayList<>();
            entry.getValue().forEach(result -> {
                rates.add(result.recordsPerSecond);
                cpu.add(result.cpuSecondsPerMillion);
                heap.add((double) result.heapAfterGcMiB);
            });
            final String guarantee = entry.getKey().substring(entry.getKey().indexOf(' ') + 1);
            final List<Result> passThrough = results.get("pass-through " + guarantee);
            final double ratio = median(rates) / median(passThrough.stream().map(result -> result.recordsPerSecond).collect(java.util.stream.Collectors.toList()));
            text.append(String.format("| %s | %,.0f [%,.0f - %,.0f] | %.2f | %.1f [%.1f - %.1f] | %.0f [%.0f - %.0f] |%n", entry.getKey(),
                    median(rates), Collections.min(rates), Collections.max(rates), ratio,
                    median(cpu), Collections.min(cpu), Collections.max(cpu), median(heap), Collections.min(heap), Collections.max(heap)));
        }
        return text.toString();
    }

    private static double median(final List<Double> values) {
        final List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        final int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private static final class Result {
        final double recordsPerSecond;
        final double cpuSecondsPerMillion;
        final long heapAfterGcMiB;

        Result(final double recordsPerSecond, final double cpuSecondsPerMillion, final long heapAfterGcMiB) {
            this.recordsPerSecond = recordsPerSecond;
            this.cpuSecondsPerMillion = cpuSecondsPerMillion;
            this.heapAfterGcMiB = heapAfterGcMiB;
        }
    }
}
