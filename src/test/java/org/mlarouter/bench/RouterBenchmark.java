package org.mlarouter.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.BuiltInDslStoreSuppliers;
import org.mlarouter.testing.Await;
import org.mlarouter.runtime.RouterApplication;
import org.mlarouter.config.RouterSettings;
import org.mlarouter.clients.TopicSetup;
import org.mlarouter.avro.AssistanceRequest;
import org.mlarouter.avro.TreatyCoverage;
import org.mlarouter.embedded.EmbeddedKafkaBroker;
import org.mlarouter.net.Ports;
import org.mlarouter.json.AvroJson;
import org.mlarouter.registry.SchemaRegistryServer;
import org.mlarouter.serde.InMemorySchemaRegistry;
import org.mlarouter.serde.SpecificAvroSerializer;
import org.mlarouter.treaty.CoverageValidator;
import org.mlarouter.clients.TreatyPublisher;
import org.mlarouter.treaty.TreatyTable;

/**
 * The router against the fastest a Kafka Streams application can be on the same broker and input: a pass-through
 * ({@code stream(in).to(out)}, byte-array serdes). Starts a real broker and the embedded Schema Registry on loopback in
 * this JVM, pre-produces N requests (the sample mix of {@code examples/requests.jsonl}, Avro in the Confluent framing,
 * unique ids), then runs each configuration with a fresh application id and measures it in its steady state: after
 * its first output and {@code --warm-up} seconds more, a window of {@code --window} seconds is timed (records per
 * second; CPU microseconds per record of the application's threads and of the rest of the JVM, the broker mostly;
 * bytes on disk per output record; the heap after a full GC at the window's end). Phases:
 * <ol>
 *   <li><b>throughput</b>: the pass-through and the router at {@code at_least_once} and {@code exactly_once_v2}, 6
 *       input partitions, taking turns, {@code --runs} times;</li>
 *   <li><b>scaling</b> (at {@code at_least_once}): the router with a treaty table of 250 counterparts, on 1 and 12
 *       input partitions, and with 2 stream threads;</li>
 *   <li><b>compression</b>: the router with {@code producer.compression.type} none, lz4 and zstd;</li>
 *   <li><b>stores</b>: the router with its stores in RocksDB or in memory, with and without the record cache;</li>
 *   <li><b>restore</b>: how long the router takes after a restart to decide again with {@code --restore-ids} statuses in
 *       its stores, local state kept or deleted;</li>
 *   <li><b>latency</b>: for each guarantee and each of {@code --latency-rates} (10,000 and 2,000 per second), requests
 *       offered at that rate by a producer in a process of its own ({@link LoadProducer}), and the time from
 *       {@code send()} to the decision read by a {@code read_committed} consumer: p50, p99, p99.9, max.</li>
 * </ol>
 * It writes {@code target/benchmarks/results.md} (the tables) and {@code target/benchmarks/throughput.svg} (the
 * chart). Not part of the test suite. Run (docs/benchmarks.md):
 * {@code mvn -B -q package -DskipTests exec:java@benchmark -Dbenchmark.args="--records 20000000 --runs 3"}.
 */
public final class RouterBenchmark {

    private static final String AT_LEAST_ONCE = "at_least_once";
    private static final String EXACTLY_ONCE = "exactly_once_v2";
    private static final int MAIN_PARTITIONS = 6;
    private static final int LARGE_TABLE_SIZE = 250;
    private static final String LARGE_TABLE_TOPIC = "bench.treaties.large";
    private static final Duration RUN_LIMIT = Duration.ofMinutes(30);

    private final EmbeddedKafkaBroker broker;
    private final SchemaRegistryServer registry;
    private final Path workDir;
    private final Options options;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final List<String> samples;
    private int applications;

    /** What the command line asked for. */
    private static final class Options {
        int records = 200_000;
        int scalingRecords = 3_000_000;
        int restoreIds = 1_000_000;
        int warmUpSeconds = 5;
        int windowSeconds = 20;
        int runs = 3;
        int latencySeconds = 30;
        int latencyWarmUpSeconds = 15;
        List<Double> latencyRates = List.of(10_000.0, 2_000.0);
        Set<String> phases = new TreeSet<>(List.of("throughput", "scaling", "compression", "stores", "restore", "latency"));
        final Map<String, String> routerOverrides = new HashMap<>();
        String only = "";

        /** Whether {@code --only} selects a configuration: its label contains the text, spaces written as '-'. */
        boolean selects(final Setup setup) {
            return setup.label().replace(' ', '-').contains(only.replace(' ', '-'));
        }
    }

    /** One application to measure: what runs, under which guarantee, on how many input partitions, with which table and settings. */
    private static final class Setup {
        final boolean router;
        final String guarantee;
        final int partitions;
        final boolean largeTable;
        /** What sets this configuration apart in its label (empty for none), and the router settings that do it. */
        final String variant;
        final Map<String, String> settings;

        Setup(final boolean router, final String guarantee, final int partitions, final boolean largeTable) {
            this(router, guarantee, partitions, largeTable, "", Map.of());
        }

        Setup(final boolean router, final String guarantee, final int partitions, final boolean largeTable, final String variant,
              final Map<String, String> settings) {
            this.router = router;
            this.guarantee = guarantee;
            this.partitions = partitions;
            this.largeTable = largeTable;
            this.variant = variant;
            this.settings = settings;
        }

        /** The router with these settings, on the main input. */
        static Setup router(final String guarantee, final String variant, final Map<String, String> settings) {
            return new Setup(true, guarantee, MAIN_PARTITIONS, false, variant, settings);
        }

        String label() {
            return (router ? "router" : "pass-through") + " " + guarantee + ", " + partitions + " partition" + (partitions == 1 ? "" : "s")
                    + (router ? ", " + (largeTable ? LARGE_TABLE_SIZE : 12) + " counterparts" : "") + (variant.isEmpty() ? "" : ", " + variant);
        }

        /** The same configuration with the pass-through: the limit it is compared with. */
        Setup limit() {
            return new Setup(false, guarantee, partitions, false);
        }

        String inputTopic(final RouterSettings defaults) {
            return partitions == MAIN_PARTITIONS ? defaults.router().requestsTopic() : "bench.requests.p" + partitions;
        }
    }

    /** One timed window of one application. */
    private static final class Result {
        final double recordsPerSecond;
        /** CPU microseconds per record: the application's own threads; the rest of the JVM (the broker, mostly). */
        final double applicationCpuMicros;
        final double brokerCpuMicros;
        final long heapAfterGcMiB;
        final double windowSeconds;
        /** Bytes on the broker's disk per record of the output topics, at the end of the window. */
        final double bytesPerOutputRecord;

        Result(final double recordsPerSecond, final double applicationCpuMicros, final double brokerCpuMicros,
               final long heapAfterGcMiB, final double windowSeconds, final double bytesPerOutputRecord) {
            this.recordsPerSecond = recordsPerSecond;
            this.applicationCpuMicros = applicationCpuMicros;
            this.brokerCpuMicros = brokerCpuMicros;
            this.heapAfterGcMiB = heapAfterGcMiB;
            this.windowSeconds = windowSeconds;
            this.bytesPerOutputRecord = bytesPerOutputRecord;
        }
    }

    private RouterBenchmark(final EmbeddedKafkaBroker broker, final SchemaRegistryServer registry, final Path workDir,
                            final Options options) throws IOException {
        this.broker = broker;
        this.registry = registry;
        this.workDir = workDir;
        this.options = options;
        this.samples = Files.readAllLines(Path.of("examples/requests.jsonl"));
    }

    public static void main(final String[] args) throws Exception {
        final Options options = new Options();
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--records":
                        options.records = Integer.parseInt(args[++i]);
                        break;
                    case "--scaling-records":
                        options.scalingRecords = Integer.parseInt(args[++i]);
                        break;
                    case "--restore-ids":
                        options.restoreIds = Integer.parseInt(args[++i]);
                        break;
                    case "--warm-up":
                        options.warmUpSeconds = Integer.parseInt(args[++i]);
                        break;
                    case "--window":
                        options.windowSeconds = Integer.parseInt(args[++i]);
                        break;
                    case "--runs":
                        options.runs = Integer.parseInt(args[++i]);
                        break;
                    case "--latency-seconds":
                        options.latencySeconds = Integer.parseInt(args[++i]);
                        break;
                    case "--latency-warm-up":
                        options.latencyWarmUpSeconds = Integer.parseInt(args[++i]);
                        break;
                    case "--latency-rates":
                        options.latencyRates = Arrays.stream(args[++i].split(",")).map(Double::valueOf).collect(Collectors.toList());
                        break;
                    case "--phases":
                        options.phases = new TreeSet<>(Arrays.asList(args[++i].split(",")));
                        break;
                    case "--set":
                        final String[] pair = args[++i].split("=", 2);
                        options.routerOverrides.put(pair[0], pair[1]);
                        break;
                    case "--only":
                        options.only = args[++i];
                        break;
                    default:
                        throw new IllegalArgumentException("unknown argument " + args[i]);
                }
            }
        } catch (final RuntimeException e) {
            System.err.println("benchmark: " + e.getMessage() + " (--records N, --scaling-records N, --warm-up N (seconds),"
                    + " --window N (seconds), --restore-ids N, --runs N, --latency-seconds N,"
                    + " --latency-warm-up N (seconds), --latency-rates N,N (default 10000,2000), --phases throughput,scaling,compression,stores,restore,latency,"
                    + " --set key=value for the router, --only text of a label)");
            System.exit(2);
        }
        final Path workDir = Files.createTempDirectory("mla-router-benchmark");
        // Deleted topics leave the disk at once, not after a minute: a full run writes tens of GiB.
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start("127.0.0.1", Ports.free(), Ports.free(), workDir.resolve("kafka"),
                Map.of("log.segment.delete.delay.ms", "1000"));
             SchemaRegistryServer registry = SchemaRegistryServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                     new InMemorySchemaRegistry("benchmark"))) {
            new RouterBenchmark(broker, registry, workDir, options).run();
        } finally {
            deleteDirectory(workDir);
        }
        System.exit(0);
    }

    private void run() throws Exception {
        final RouterSettings defaults = settings("bench-setup", AT_LEAST_ONCE);
        final boolean scaling = options.phases.contains("scaling");
        final List<Integer> partitionCounts = scaling ? List.of(MAIN_PARTITIONS, 1, 12) : List.of(MAIN_PARTITIONS);
        try (Admin admin = Admin.create(defaults.adminProperties())) {
            new TopicSetup(admin, defaults.router()).createMissing(MAIN_PARTITIONS, (short) 1);
            for (final int partitions : partitionCounts) {
                createTopic(admin, new Setup(true, AT_LEAST_ONCE, partitions, false).inputTopic(defaults), partitions);
                if (partitions != MAIN_PARTITIONS) {
                    createTopic(admin, reviewsTopic(partitions), partitions);
                }
            }
        }
        publishTreaties(defaults.router().treatiesTopic(), TreatyTable.shipped("KZ").all());
        if (scaling) {
            publishTreaties(LARGE_TABLE_TOPIC, largeTable());
        }
        for (final int partitions : partitionCounts) {
            final String topic = new Setup(true, AT_LEAST_ONCE, partitions, false).inputTopic(defaults);
            final int count = partitions == MAIN_PARTITIONS ? options.records : options.scalingRecords;
            final long produceStart = System.nanoTime();
            produceRequests(topic, count);
            System.out.printf("Produced %,d requests to %s (%d partitions) in %.1f s%n", count, topic, partitions,
                    (System.nanoTime() - produceStart) / 1e9);
        }

        final Map<String, List<Result>> results = new LinkedHashMap<>();
        final List<Setup> measured = new ArrayList<>();
        final List<Setup> rounds = new ArrayList<>();
        if (options.phases.contains("throughput")) {
            for (final String guarantee : List.of(AT_LEAST_ONCE, EXACTLY_ONCE)) {
                rounds.add(new Setup(false, guarantee, MAIN_PARTITIONS, false));
                rounds.add(new Setup(true, guarantee, MAIN_PARTITIONS, false));
            }
        }
        if (scaling) {
            rounds.add(new Setup(true, AT_LEAST_ONCE, MAIN_PARTITIONS, true));
            // The router alone: its steady window needs far fewer records than the pass-through's.
            for (final int partitions : List.of(1, 12)) {
                rounds.add(new Setup(true, AT_LEAST_ONCE, partitions, false));
            }
            rounds.add(Setup.router(AT_LEAST_ONCE, "2 stream threads", Map.of("num.stream.threads", "2")));
        }
        for (final String guarantee : List.of(AT_LEAST_ONCE, EXACTLY_ONCE)) {
            if (options.phases.contains("compression")) {
                for (final String compression : List.of("none", "lz4", "zstd")) {
                    rounds.add(Setup.router(guarantee, "compression " + compression, Map.of("producer.compression.type", compression)));
                }
            }
            if (options.phases.contains("stores")) {
                for (final String store : List.of("rocksdb", "in-memory")) {
                    for (final boolean cached : List.of(true, false)) {
                        rounds.add(Setup.router(guarantee, store + (cached ? " cached" : " uncached"), storeSettings(store, cached)));
                    }
                }
            }
        }
        rounds.removeIf(setup -> !options.selects(setup));
        for (int run = 1; run <= options.runs; run++) {
            for (final Setup setup : rounds) {
                final Result result = measure(setup, defaults);
                if (!results.containsKey(setup.label())) {
                    measured.add(setup);
                }
                results.computeIfAbsent(setup.label(), ignored -> new ArrayList<>()).add(result);
                System.out.printf("run %d  %-55s %10.0f records/s  CPU us per record %5.2f app %5.2f broker  %6.0f bytes per output"
                                + " record  heap after GC %4d MiB  window %.1f s%n", run, setup.label(), result.recordsPerSecond,
                        result.applicationCpuMicros, result.brokerCpuMicros, result.bytesPerOutputRecord, result.heapAfterGcMiB,
                        result.windowSeconds);
            }
        }

        final StringBuilder report = new StringBuilder();
        report.append(String.format("Machine: %d cores, %d MiB heap limit, %s %s; %s%n%n", Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() / (1024 * 1024), System.getProperty("java.vm.name"), System.getProperty("java.version"),
                LocalDate.now()));
        report.append(throughputTable(measured, results));
        if (options.phases.contains("restore")) {
            report.append('\n').append(restoreTable(defaults));
        }
        if (options.phases.contains("latency")) {
            report.append('\n').append(latencyTable(defaults));
        }
        System.out.println();
        System.out.print(report);
        final Path out = Path.of("target/benchmarks");
        Files.createDirectories(out);
        Files.writeString(out.resolve("results.md"), report.toString());
        Files.writeString(out.resolve("throughput.svg"), ThroughputChart.svg(measured.stream()
                .filter(setup -> setup.router && setup.variant.isEmpty())
                .map(setup -> new ThroughputChart.Bar(setup.label().replace("router ", ""),
                        median(rates(results.get(setup.label()))),
                        results.containsKey(setup.limit().label()) ? median(rates(results.get(setup.limit().label()))) : Double.NaN))
                .collect(Collectors.toList())));
        System.out.println("Written: " + out.resolve("results.md") + ", " + out.resolve("throughput.svg"));
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

    private RouterSettings settings(final String applicationId, final Setup setup, final String inputTopic) {
        final Map<String, String> values = new HashMap<>();
        values.put("mla.topic.requests", inputTopic);
        if (setup.partitions != MAIN_PARTITIONS) {
            // The review topic has as many partitions as the request topic, so that an outcome meets its request.
            values.put("mla.topic.reviews", reviewsTopic(setup.partitions));
        }
        if (setup.largeTable) {
            values.put("mla.topic.treaties", LARGE_TABLE_TOPIC);
        }
        if (setup.router) {
            values.putAll(options.routerOverrides);
            values.putAll(setup.settings);
        }
        return settings(applicationId, setup.guarantee).with(values);
    }

    private static String reviewsTopic(final int partitions) {
        return "bench.reviews.p" + partitions;
    }

    private static void createTopic(final Admin admin, final String name, final int partitions) throws Exception {
        try {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
        } catch (final ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    /** The shipped table and, for the large one, copies of its entries under made-up codes up to 250 counterparts. */
    private static List<TreatyCoverage> largeTable() {
        final List<TreatyCoverage> shipped = TreatyTable.shipped("KZ").all();
        final Set<String> taken = shipped.stream().map(TreatyCoverage::getCounterpartState).collect(Collectors.toSet());
        taken.add("KZ");
        final List<TreatyCoverage> table = new ArrayList<>(shipped);
        final CoverageValidator validator = new CoverageValidator("KZ");
        for (char first = 'A'; first <= 'Z' && table.size() < LARGE_TABLE_SIZE; first++) {
            for (char second = 'A'; second <= 'Z' && table.size() < LARGE_TABLE_SIZE; second++) {
                final String code = "" + first + second;
                if (taken.contains(code)) {
                    continue;
                }
                final TreatyCoverage copy = TreatyCoverage.newBuilder(shipped.get(table.size() % shipped.size())).setCounterpartState(code).build();
                if (!validator.problems(copy).isEmpty()) {
                    throw new IllegalStateException("The made-up coverage for " + code + " is invalid: " + validator.problems(copy));
                }
                table.add(copy);
            }
        }
        return table;
    }

    private void publishTreaties(final String topic, final List<TreatyCoverage> coverages) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()));
             KafkaProducer<String, TreatyCoverage> producer = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers()),
                     new StringSerializer(), serializer())) {
            createTopic(admin, topic, 1);
            for (final TreatyCoverage coverage : coverages) {
                producer.send(new ProducerRecord<>(topic, coverage.getCounterpartState(), coverage)).get();
            }
        }
    }

    private <T extends org.apache.avro.specific.SpecificRecord> SpecificAvroSerializer<T> serializer() {
        final SpecificAvroSerializer<T> serializer = new SpecificAvroSerializer<>();
        serializer.configure(Map.of("schema.registry.url", registry.url().toString()), false);
        return serializer;
    }

    /** The sample requests, parsed afresh (callers change their ids). */
    private List<AssistanceRequest> sampleRequests() {
        return samples.stream().map(line -> AvroJson.parse(line, AssistanceRequest.class)).collect(Collectors.toList());
    }

    private void produceRequests(final String topic, final int count) {
        final List<AssistanceRequest> requests = sampleRequests();
        try (KafkaProducer<String, AssistanceRequest> producer = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers(),
                "acks", "all", "linger.ms", 20, "batch.size", 262_144), new StringSerializer(), serializer())) {
            for (int i = 0; i < count; i++) {
                final AssistanceRequest request = requests.get(i % requests.size());
                request.setRequestId("bench-" + i);
                producer.send(new ProducerRecord<>(topic, request.getRequestId(), request));
            }
            producer.flush();
        }
    }

    /** A started application and how to stop it. */
    private static final class Started implements AutoCloseable {
        final String applicationId;
        final RouterSettings settings;
        final List<String> outputs;
        final AutoCloseable closer;

        Started(final String applicationId, final RouterSettings settings, final List<String> outputs, final AutoCloseable closer) {
            this.applicationId = applicationId;
            this.settings = settings;
            this.outputs = outputs;
            this.closer = closer;
        }

        @Override
        public void close() throws Exception {
            closer.close();
        }
    }

    private Started start(final Setup setup, final String inputTopic) throws Exception {
        return start(setup, inputTopic, "bench-" + ++applications + "-" + (setup.router ? "router" : "pass") + "-" + setup.guarantee.replace('_', '-'));
    }

    private Started start(final Setup setup, final String inputTopic, final String applicationId) throws Exception {
        final RouterSettings settings = settings(applicationId, setup, inputTopic);
        final String passThroughOutput = applicationId + ".out";
        try (Admin admin = Admin.create(settings.adminProperties())) {
            new TopicSetup(admin, settings.router()).createMissing(setup.partitions, (short) 1);
            if (!setup.router) {
                createTopic(admin, passThroughOutput, setup.partitions);
            }
        }
        if (setup.router) {
            final RouterApplication router = RouterApplication.start(settings, Clock.systemUTC());
            if (!router.awaitRunning(Duration.ofSeconds(120))) {
                router.close();
                throw new IllegalStateException(setup.label() + " did not reach RUNNING");
            }
            return new Started(applicationId, settings, List.of(settings.router().acceptedTopic(), settings.router().refusedTopic(),
                    settings.router().needsReviewTopic(), settings.router().deadLetterTopic()), router);
        }
        final StreamsBuilder builder = new StreamsBuilder();
        builder.stream(inputTopic, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .to(passThroughOutput, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
        final Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, setup.guarantee);
        properties.put(StreamsConfig.STATE_DIR_CONFIG, workDir.resolve("state").toString());
        final KafkaStreams streams = new KafkaStreams(builder.build(), properties);
        final CountDownLatch running = new CountDownLatch(1);
        streams.setStateListener((newState, oldState) -> {
            if (newState == KafkaStreams.State.RUNNING) {
                running.countDown();
            }
        });
        streams.start();
        final Started started = new Started(applicationId, settings, List.of(passThroughOutput), () -> streams.close(Duration.ofSeconds(60)));
        if (!running.await(120, TimeUnit.SECONDS)) {
            started.close();
            throw new IllegalStateException(setup.label() + " did not reach RUNNING");
        }
        return started;
    }

    /**
     * One run of one application with a fresh application id, measured in its steady state: once it has produced its
     * first output, {@code --warm-up} seconds of processing are left out (JIT compilation, first fetches, the
     * producers' first batches), then a window of {@code --window} seconds is timed: records done, the CPU of the
     * application's threads and of the rest of the JVM (the broker), and the heap after each GC. The window ends early,
     * and says so, if the input runs out. The application's topics are deleted afterwards.
     */
    private Result measure(final Setup setup, final RouterSettings defaults) throws Exception {
        final String inputTopic = setup.inputTopic(defaults);
        final long records = setup.partitions == MAIN_PARTITIONS ? options.records : options.scalingRecords;
        try (Admin admin = Admin.create(defaults.adminProperties())) {
            try (Started started = start(setup, inputTopic)) {
                final Progress progress = () -> progress(admin, setup.guarantee, started.applicationId, inputTopic, started.outputs);
                final long begin = System.nanoTime();
                while (progress.done() == 0) {
                    if (System.nanoTime() - begin > RUN_LIMIT.toNanos()) {
                        throw new IllegalStateException(setup.label() + " produced nothing within " + RUN_LIMIT);
                    }
                    TimeUnit.MILLISECONDS.sleep(100);
                }
                TimeUnit.SECONDS.sleep(options.warmUpSeconds);
                final long doneBefore = progress.done();
                final long startNanos = System.nanoTime();
                final long cpuBefore = cpuNanos(started.applicationId);
                final long processCpuBefore = processCpuNanos();
                final long windowEnd = startNanos + TimeUnit.SECONDS.toNanos(options.windowSeconds);
                long done = doneBefore;
                while (System.nanoTime() < windowEnd && done < records) {
                    // The resolution of the window's end when the input runs out: how often the offsets are read.
                    TimeUnit.MILLISECONDS.sleep(100);
                    done = System.nanoTime() < windowEnd ? progress.done() : done;
                }
                done = done < records ? progress.done() : done;
                final long endNanos = System.nanoTime();
                final double applicationCpu = cpuNanos(started.applicationId) - cpuBefore;
                final double restCpu = processCpuNanos() - processCpuBefore - applicationCpu;
                final double seconds = (endNanos - startNanos) / 1e9;
                final long counted = done - doneBefore;
                if (done >= records) {
                    System.out.printf("WARNING %s: the input ran out %.1f s into the %d s window; raise --records%n", setup.label(),
                            seconds, options.windowSeconds);
                }
                final double bytesPerRecord = (double) bytesOnDisk(admin, started.outputs) / Math.max(1, endOffsets(admin, started.outputs));
                return new Result(counted / seconds, applicationCpu / 1e3 / counted, restCpu / 1e3 / counted,
                        heapAfterFullGc() / (1024 * 1024), seconds, bytesPerRecord);
            } finally {
                deleteTopicsOf(admin);
            }
        }
    }

    /** Records an application has done so far. */
    @FunctionalInterface
    private interface Progress {
        long done() throws InterruptedException;
    }

    /** The CPU time of this whole JVM: the broker, the registry, the application under test and the benchmark. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** The size on the broker's disk of every partition of these topics. */
    private static long bytesOnDisk(final Admin admin, final List<String> topics) throws ExecutionException, InterruptedException {
        final List<Integer> nodes = admin.describeCluster().nodes().get().stream().map(node -> node.id()).collect(Collectors.toList());
        long bytes = 0;
        for (final var logDirs : admin.describeLogDirs(nodes).allDescriptions().get().values()) {
            for (final var logDir : logDirs.values()) {
                for (final var replica : logDir.replicaInfos().entrySet()) {
                    if (topics.contains(replica.getKey().topic())) {
                        bytes += replica.getValue().size();
                    }
                }
            }
        }
        return bytes;
    }

    /** Deletes the topics of the benchmark's applications (each starts with the application id), so runs do not fill the disk. */
    private static void deleteTopicsOf(final Admin admin) throws ExecutionException, InterruptedException {
        final List<String> names = admin.listTopics().names().get().stream().filter(name -> name.startsWith("bench-"))
                .collect(Collectors.toList());
        admin.deleteTopics(names).all().get();
    }

    /**
     * The heap in use just after a full collection, asked for at the end of the window (the whole JVM: broker, registry,
     * application and benchmark). The collection usage G1 reports by itself is that of its last old-generation
     * collection, which may be long past.
     */
    private static long heapAfterFullGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Records done so far; 0 while a topic just created is not yet known everywhere. */
    private long progress(final Admin admin, final String guarantee, final String applicationId, final String input,
                          final List<String> outputs) throws InterruptedException {
        try {
            return EXACTLY_ONCE.equals(guarantee) ? committed(admin, applicationId, input) : endOffsets(admin, outputs);
        } catch (final ExecutionException e) {
            if (e.getCause() instanceof RetriableException) {
                return 0;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static long endOffsets(final Admin admin, final List<String> topics) throws ExecutionException, InterruptedException {
        final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(topics).allTopicNames().get().forEach((topic, description) -> description.partitions()
                .forEach(partition -> latest.put(new TopicPartition(topic, partition.partition()), OffsetSpec.latest())));
        return admin.listOffsets(latest).all().get().values().stream().mapToLong(info -> info.offset()).sum();
    }

    private static long committed(final Admin admin, final String groupId, final String topic) throws ExecutionException, InterruptedException {
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
                sum += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return sum;
    }

    /** The router settings of a kind of store for its request statuses and pending reviews, cached or not. */
    private static Map<String, String> storeSettings(final String store, final boolean cached) {
        final Map<String, String> settings = new HashMap<>();
        if ("in-memory".equals(store)) {
            settings.put("dsl.store.suppliers.class", BuiltInDslStoreSuppliers.InMemoryDslStoreSuppliers.class.getName());
        }
        settings.put("statestore.cache.max.bytes", cached ? String.valueOf(10 * 1024 * 1024) : "0");
        return settings;
    }

    /**
     * How long the router takes to get back to RUNNING with {@code --restore-ids} request statuses in its stores (and
     * the pending reviews among them): it decides that many requests, stops, and starts again with the same
     * application id. In-memory stores are restored from their changelogs at every start; RocksDB stores only when the
     * local state is gone (measured both ways: kept, and deleted as on a new machine).
     */
    private String restoreTable(final RouterSettings defaults) throws Exception {
        final String topic = "bench.restore";
        try (Admin admin = Admin.create(defaults.adminProperties())) {
            createTopic(admin, topic, MAIN_PARTITIONS);
        }
        produceRequests(topic, options.restoreIds);
        final StringBuilder text = new StringBuilder(String.format("Restore: the router's stores after %,d requests decided"
                + " (at_least_once, cached stores), from start() until a new request is decided%n%n", options.restoreIds));
        text.append("| store | changelogs on disk, MiB | restart, local state kept, s | restart, local state deleted, s |\n|---|---|---|---|\n");
        try (Admin admin = Admin.create(defaults.adminProperties())) {
            for (final String store : List.of("rocksdb", "in-memory")) {
                final Setup setup = new Setup(true, AT_LEAST_ONCE, MAIN_PARTITIONS, false, store, storeSettings(store, true));
                final String applicationId = "bench-restore-" + store;
                try (Started first = start(setup, topic, applicationId)) {
                    Await.until("the router to decide the " + options.restoreIds + " requests to restore", Duration.ofMinutes(10),
                            () -> outputsAtLeast(admin, first.outputs, options.restoreIds));
                }
                final double changelogMiB = bytesOnDisk(admin, List.of(applicationId + "-request-status-changelog",
                        applicationId + "-pending-reviews-changelog")) / (1024.0 * 1024.0);
                final double kept = secondsToStart(setup, topic, applicationId);
                deleteDirectory(workDir.resolve("state").resolve(applicationId));
                final double deleted = secondsToStart(setup, topic, applicationId);
                final String row = String.format("| %s | %.0f | %.1f | %.1f |%n", store, changelogMiB, kept, deleted);
                System.out.print("restore " + row);
                text.append(row);
            }
            deleteTopicsOf(admin);
        }
        return text.toString();
    }

    /** Whether these topics hold this many records; false while they are not yet known everywhere. */
    private static boolean outputsAtLeast(final Admin admin, final List<String> topics, final long records) {
        try {
            return endOffsets(admin, topics) >= records;
        } catch (final ExecutionException e) {
            return false;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Seconds from starting the router until a new request is decided. A task processes nothing until its stores are
     * restored, and Kafka Streams reports RUNNING while its state updater still restores, so RUNNING is not the end.
     */
    private double secondsToStart(final Setup setup, final String topic, final String applicationId) throws Exception {
        final long begin = System.nanoTime();
        try (Started started = start(setup, topic, applicationId);
             Admin admin = Admin.create(started.settings.adminProperties());
             KafkaProducer<String, AssistanceRequest> producer = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers()),
                     new StringSerializer(), serializer())) {
            final long before = endOffsets(admin, started.outputs);
            // One new request for each partition, so every task must have restored its stores.
            final AssistanceRequest probe = sampleRequests().get(0);
            final Set<Integer> covered = new java.util.HashSet<>();
            for (int n = 0; covered.size() < MAIN_PARTITIONS; n++) {
                final String id = "restore-probe-" + System.nanoTime() + "-" + n;
                if (covered.add(Utils.toPositive(Utils.murmur2(id.getBytes(java.nio.charset.StandardCharsets.UTF_8))) % MAIN_PARTITIONS)) {
                    probe.setRequestId(id);
                    producer.send(new ProducerRecord<>(topic, id, probe)).get();
                }
            }
            Await.until("the router to decide a new request on each partition after its restart", Duration.ofMinutes(10),
                    () -> outputsAtLeast(admin, started.outputs, before + MAIN_PARTITIONS));
            return (System.nanoTime() - begin) / 1e9;
        }
    }

    private static void deleteDirectory(final Path directory) throws IOException {
        if (Files.exists(directory)) {
            try (var paths = Files.walk(directory)) {
                for (final Path path : paths.sorted(java.util.Comparator.reverseOrder()).collect(Collectors.toList())) {
                    Files.delete(path);
                }
            }
        }
    }

    /**
     * End-to-end latency at a fixed offered load: a producer sends requests at {@code rate} per second for
     * {@code --latency-seconds}, each with its {@link System#nanoTime()} in a header (Kafka Streams copies the input's
     * headers to the output), and a {@code read_committed} consumer of every output topic takes the difference when the
     * decision arrives. Requests sent in the first {@code --latency-warm-up} seconds (15) are the warm-up and are not counted: a new
     * application's first records wait for its start-up (its first fetches, metadata and schemas; seconds here).
     */
    private long[] latencies(final String guarantee, final double rate, final RouterSettings defaults) throws Exception {
        final Setup setup = new Setup(true, guarantee, MAIN_PARTITIONS, false);
        final String inputTopic = "bench.latency." + guarantee.replace('_', '-') + "." + (long) rate;
        try (Admin admin = Admin.create(defaults.adminProperties())) {
            createTopic(admin, inputTopic, MAIN_PARTITIONS);
        }
        final long warmUpNanos = TimeUnit.SECONDS.toNanos(options.latencyWarmUpSeconds);
        final int total = (int) Math.max(1_000, rate * (options.latencySeconds + options.latencyWarmUpSeconds));
        try (Started started = start(setup, inputTopic);
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", broker.bootstrapServers(),
                     "isolation.level", "read_committed", "auto.offset.reset", "earliest", "max.poll.records", 5_000),
                     new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            final List<TopicPartition> partitions = new ArrayList<>();
            for (final String topic : started.outputs) {
                for (int partition = 0; partition < MAIN_PARTITIONS; partition++) {
                    partitions.add(new TopicPartition(topic, partition));
                }
            }
            consumer.assign(partitions);
            final Path producerLog = workDir.resolve("load-producer-" + guarantee + "-" + (long) rate + ".log");
            final Process producer = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m", "-cp",
                    "target/mla-router.jar" + java.io.File.pathSeparator + "target/test-classes", LoadProducer.class.getName(),
                    broker.bootstrapServers(), registry.url().toString(), inputTopic, String.valueOf(rate), String.valueOf(total),
                    "latency-" + (long) rate).redirectErrorStream(true).redirectOutput(producerLog.toFile()).start();
            final long[] latencies = new long[total];
            int counted = 0;
            final long firstSecond = System.nanoTime();
            final long[] worstBySecond = new long[(int) options.latencyWarmUpSeconds + options.latencySeconds + 240];
            int received = 0;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.latencySeconds + 120L);
            while (received < total) {
                if (System.nanoTime() > deadline || !producer.isAlive() && producer.exitValue() != 0) {
                    producer.destroyForcibly();
                    throw new IllegalStateException("Latency at " + guarantee + ": " + received + " of " + total + " decisions arrived;"
                            + " the load producer said: " + Files.readString(producerLog));
                }
                for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    final long now = System.nanoTime();
                    final Header sent = record.headers().lastHeader(LoadProducer.SENT_NANOS_HEADER);
                    if (sent == null || received >= total) {
                        throw new IllegalStateException("A decision without the " + LoadProducer.SENT_NANOS_HEADER + " header, or more decisions than requests");
                    }
                    final long sentAt = ByteBuffer.wrap(sent.value()).getLong();
                    received++;
                    if (sentAt - firstSecond >= warmUpNanos) {
                        latencies[counted++] = now - sentAt;
                    }
                    final int second = (int) Math.max(0, Math.min(worstBySecond.length - 1, (sentAt - firstSecond) / 1_000_000_000L));
                    worstBySecond[second] = Math.max(worstBySecond[second], now - sentAt);
                }
            }
            if (!producer.waitFor(60, TimeUnit.SECONDS) || producer.exitValue() != 0) {
                throw new IllegalStateException("The load producer did not end well: " + Files.readString(producerLog));
            }
            final StringBuilder worst = new StringBuilder("latency " + guarantee + ", worst per second of sending, ms:");
            for (int second = 0; second < worstBySecond.length && second < options.latencyWarmUpSeconds + options.latencySeconds + 2; second++) {
                worst.append(' ').append(worstBySecond[second] / 1_000_000);
            }
            System.out.println(worst);
            final long[] kept = Arrays.copyOf(latencies, counted);
            Arrays.sort(kept);
            return kept;
        }
    }

    private String throughputTable(final List<Setup> measured, final Map<String, List<Result>> results) {
        final StringBuilder text = new StringBuilder();
        text.append(String.format("Throughput in steady state: %,d requests in the input (%,d for 1 and 12 partitions), each run"
                + " warmed up %d s, then timed for a window of %d s; %d runs each, median [min - max]%n%n", options.records,
                options.scalingRecords, options.warmUpSeconds, options.windowSeconds, options.runs));
        text.append("| application | records/s | ratio to pass-through (same guarantee and partitions) | CPU µs per record, application"
                + " | CPU µs per record, broker (rest of the JVM) | bytes on disk per output record | heap after GC, MiB (JVM, broker"
                + " included) | window, s |\n");
        text.append("|---|---|---|---|---|---|---|---|\n");
        for (final Setup setup : measured) {
            final List<Result> runs = results.get(setup.label());
            final List<Double> rates = rates(runs);
            final List<Result> limit = results.get(setup.limit().label());
            final String ratio = limit == null ? "n/a" : String.format("%.2f", median(rates) / median(rates(limit)));
            text.append(String.format("| %s | %s | %s | %s | %s | %s | %s | %s |%n", setup.label(), spread(rates, "%,.0f"), ratio,
                    spread(values(runs, result -> result.applicationCpuMicros), "%.2f"),
                    spread(values(runs, result -> result.brokerCpuMicros), "%.2f"),
                    spread(values(runs, result -> result.bytesPerOutputRecord), "%.0f"),
                    spread(values(runs, result -> (double) result.heapAfterGcMiB), "%.0f"),
                    spread(values(runs, result -> result.windowSeconds), "%.1f")));
        }
        return text.toString();
    }

    private static List<Double> values(final List<Result> runs, final java.util.function.ToDoubleFunction<Result> value) {
        return runs.stream().map(value::applyAsDouble).collect(Collectors.toList());
    }

    /** The median and [min - max] of some figures. */
    private static String spread(final List<Double> figures, final String format) {
        return String.format(format + " [" + format + " - " + format + "]", median(figures), Collections.min(figures), Collections.max(figures));
    }

    private String latencyTable(final RouterSettings defaults) throws Exception {
        final StringBuilder text = new StringBuilder();
        text.append(String.format("End-to-end latency at a fixed load, send() in a process of its own to the decision read committed,"
                + " %d s per guarantee and load after a %d s warm-up%n%n", options.latencySeconds, options.latencyWarmUpSeconds));
        text.append("| guarantee | offered load, records/s | decisions counted | p50, ms | p99, ms | p99.9, ms | max, ms |\n");
        text.append("|---|---|---|---|---|---|---|\n");
        for (final double rate : options.latencyRates) {
            for (final String guarantee : List.of(AT_LEAST_ONCE, EXACTLY_ONCE)) {
                if (!options.selects(new Setup(true, guarantee, MAIN_PARTITIONS, false))) {
                    continue;
                }
                final long[] sorted = latencies(guarantee, rate, defaults);
                final String row = String.format("| %s | %,.0f | %,d | %.1f | %.1f | %.1f | %.1f |%n", guarantee, rate, sorted.length,
                        percentile(sorted, 50), percentile(sorted, 99), percentile(sorted, 99.9), sorted[sorted.length - 1] / 1e6);
                System.out.print("latency " + row);
                text.append(row);
            }
        }
        return text.toString();
    }

    private static double percentile(final long[] sorted, final double percent) {
        final int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }

    private static List<Double> rates(final List<Result> runs) {
        return values(runs, result -> result.recordsPerSecond);
    }

    private static double median(final List<Double> values) {
        final List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        final int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }
}
