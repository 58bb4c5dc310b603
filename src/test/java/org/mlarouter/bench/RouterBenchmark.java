package org.mlarouter.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
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
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
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
 * unique ids), then measures, each run with a fresh application id:
 * <ol>
 *   <li><b>throughput</b>: the pass-through and the router at {@code at_least_once} and {@code exactly_once_v2}, 6
 *       input partitions, taking turns, {@code --runs} times: records per second from RUNNING to the last output, CPU
 *       seconds of the application's own threads per million records, and the most heap in use after a GC during the
 *       run (the whole JVM, broker included);</li>
 *   <li><b>scaling</b> (at {@code at_least_once}): the router with a treaty table of 250 counterparts instead of 12,
 *       and both applications with 1 and 12 input partitions;</li>
 *   <li><b>latency</b>: for each guarantee, requests offered at a fixed rate, half the router's median throughput
 *       from step 1, and the time from {@code send()} to the decision read by a {@code read_committed} consumer:
 *       p50, p99, p99.9, max.</li>
 * </ol>
 * It writes {@code target/benchmarks/results.md} (the tables) and {@code target/benchmarks/throughput.svg} (the
 * chart). Not part of the test suite. Run:
 * {@code mvn -B -q test-compile exec:java@benchmark -Dbenchmark.args="--records 1000000 --runs 3"}.
 */
public final class RouterBenchmark {

    private static final String AT_LEAST_ONCE = "at_least_once";
    private static final String EXACTLY_ONCE = "exactly_once_v2";
    private static final int MAIN_PARTITIONS = 6;
    private static final int LARGE_TABLE_SIZE = 250;
    private static final String LARGE_TABLE_TOPIC = "bench.treaties.large";
    private static final String SENT_NANOS_HEADER = "bench.sent.nanos";
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
        int runs = 3;
        int latencySeconds = 30;
        int latencyWarmUpSeconds = 15;
        double latencyRate;
        Set<String> phases = new TreeSet<>(List.of("throughput", "scaling", "latency"));
        final Map<String, String> routerOverrides = new HashMap<>();
        String only = "";

        /** Whether {@code --only} selects a configuration: its label contains the text, spaces written as '-'. */
        boolean selects(final Setup setup) {
            return setup.label().replace(' ', '-').contains(only.replace(' ', '-'));
        }
    }

    /** One application to measure: what runs, under which guarantee, on how many input partitions, with which table. */
    private static final class Setup {
        final boolean router;
        final String guarantee;
        final int partitions;
        final boolean largeTable;

        Setup(final boolean router, final String guarantee, final int partitions, final boolean largeTable) {
            this.router = router;
            this.guarantee = guarantee;
            this.partitions = partitions;
            this.largeTable = largeTable;
        }

        String label() {
            return (router ? "router" : "pass-through") + " " + guarantee + ", " + partitions + " partition" + (partitions == 1 ? "" : "s")
                    + (router ? ", " + (largeTable ? LARGE_TABLE_SIZE : 12) + " counterparts" : "");
        }

        /** The same configuration with the pass-through: the limit it is compared with. */
        Setup limit() {
            return new Setup(false, guarantee, partitions, false);
        }

        String inputTopic(final RouterSettings defaults) {
            return partitions == MAIN_PARTITIONS ? defaults.router().requestsTopic() : "bench.requests.p" + partitions;
        }
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
                    case "--runs":
                        options.runs = Integer.parseInt(args[++i]);
                        break;
                    case "--latency-seconds":
                        options.latencySeconds = Integer.parseInt(args[++i]);
                        break;
                    case "--latency-warm-up":
                        options.latencyWarmUpSeconds = Integer.parseInt(args[++i]);
                        break;
                    case "--latency-rate":
                        options.latencyRate = Double.parseDouble(args[++i]);
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
            System.err.println("benchmark: " + e.getMessage() + " (--records N, --runs N, --latency-seconds N,"
                    + " --latency-warm-up N (seconds), --latency-rate N (default: half the router's throughput), --phases throughput,scaling,latency,"
                    + " --set key=value for the router, --only text of a label)");
            System.exit(2);
        }
        final Path workDir = Files.createTempDirectory("mla-router-benchmark");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start("127.0.0.1", Ports.free(), Ports.free(), workDir.resolve("kafka"), Map.of());
             SchemaRegistryServer registry = SchemaRegistryServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                     new InMemorySchemaRegistry("benchmark"))) {
            new RouterBenchmark(broker, registry, workDir, options).run();
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
            }
        }
        publishTreaties(defaults.router().treatiesTopic(), TreatyTable.shipped("KZ").all());
        if (scaling) {
            publishTreaties(LARGE_TABLE_TOPIC, largeTable());
        }
        for (final int partitions : partitionCounts) {
            final String topic = new Setup(true, AT_LEAST_ONCE, partitions, false).inputTopic(defaults);
            final long produceStart = System.nanoTime();
            produceRequests(topic);
            System.out.printf("Produced %,d requests to %s (%d partitions) in %.1f s%n", options.records, topic, partitions,
                    (System.nanoTime() - produceStart) / 1e9);
        }

        final Map<String, List<Result>> results = new LinkedHashMap<>();
        final List<Setup> measured = new ArrayList<>();
        final List<Setup> rounds = new ArrayList<>();
        if (options.phases.contains("throughput") || options.phases.contains("latency") && options.latencyRate == 0) {
            for (final String guarantee : List.of(AT_LEAST_ONCE, EXACTLY_ONCE)) {
                rounds.add(new Setup(false, guarantee, MAIN_PARTITIONS, false));
                rounds.add(new Setup(true, guarantee, MAIN_PARTITIONS, false));
            }
        }
        if (scaling) {
            rounds.add(new Setup(true, AT_LEAST_ONCE, MAIN_PARTITIONS, true));
            for (final int partitions : List.of(1, 12)) {
                rounds.add(new Setup(false, AT_LEAST_ONCE, partitions, false));
                rounds.add(new Setup(true, AT_LEAST_ONCE, partitions, false));
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
                System.out.printf("run %d  %-55s %10.0f records/s  %6.1f CPU s per million  heap after GC %4d MiB%n", run, setup.label(),
                        result.recordsPerSecond, result.cpuSecondsPerMillion, result.heapAfterGcMiB);
            }
        }

        final StringBuilder report = new StringBuilder();
        report.append(String.format("Machine: %d cores, %d MiB heap limit, %s %s; %s%n%n", Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() / (1024 * 1024), System.getProperty("java.vm.name"), System.getProperty("java.version"),
                LocalDate.now()));
        report.append(throughputTable(measured, results));
        if (options.phases.contains("latency")) {
            report.append('\n').append(latencyTable(defaults, results));
        }
        System.out.println();
        System.out.print(report);
        final Path out = Path.of("target/benchmarks");
        Files.createDirectories(out);
        Files.writeString(out.resolve("results.md"), report.toString());
        Files.writeString(out.resolve("throughput.svg"), ThroughputChart.svg(measured.stream()
                .filter(setup -> setup.router)
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
        if (setup.largeTable) {
            values.put("mla.topic.treaties", LARGE_TABLE_TOPIC);
        }
        if (setup.router) {
            values.putAll(options.routerOverrides);
        }
        return settings(applicationId, setup.guarantee).with(values);
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

    private void produceRequests(final String topic) {
        final List<AssistanceRequest> requests = sampleRequests();
        try (KafkaProducer<String, AssistanceRequest> producer = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers(),
                "acks", "all", "linger.ms", 20, "batch.size", 262_144), new StringSerializer(), serializer())) {
            for (int i = 0; i < options.records; i++) {
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
        final String applicationId = "bench-" + ++applications + "-" + (setup.router ? "router" : "pass") + "-" + setup.guarantee.replace('_', '-');
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

    /** One run of one application over the whole input, with a fresh application id. */
    private Result measure(final Setup setup, final RouterSettings defaults) throws Exception {
        final String inputTopic = setup.inputTopic(defaults);
        try (Started started = start(setup, inputTopic); Admin admin = Admin.create(started.settings.adminProperties())) {
            final long cpuBefore = cpuNanos(started.applicationId);
            final Instant begin = Instant.now();
            long heapAfterGc = 0;
            // Done when the last output is committed. Under exactly-once: the input offsets committed with the last
            // transaction. Under at-least-once (commits every 30 s by default): every output record written.
            while (progress(admin, setup.guarantee, started.applicationId, inputTopic, started.outputs) < options.records) {
                if (Duration.between(begin, Instant.now()).compareTo(RUN_LIMIT) >= 0) {
                    throw new IllegalStateException(setup.label() + " did not finish within " + RUN_LIMIT);
                }
                heapAfterGc = Math.max(heapAfterGc, heapAfterLastGc());
                // The resolution of the measurement: how often the offsets are read.
                TimeUnit.MILLISECONDS.sleep(100);
            }
            final double seconds = Duration.between(begin, Instant.now()).toNanos() / 1e9;
            final double cpuSeconds = (cpuNanos(started.applicationId) - cpuBefore) / 1e9;
            heapAfterGc = Math.max(heapAfterGc, heapAfterLastGc());
            return new Result(options.records / seconds, cpuSeconds * 1_000_000.0 / options.records, heapAfterGc / (1024 * 1024));
        }
    }

    /** The heap in use just after the last collection, over every heap pool (0 before any collection). */
    private static long heapAfterLastGc() {
        long used = 0;
        for (final MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            final MemoryUsage afterGc = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
            if (afterGc != null) {
                used += afterGc.getUsed();
            }
        }
        return used;
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

    /**
     * End-to-end latency at a fixed offered load: a producer sends requests at {@code rate} per second for
     * {@code --latency-seconds}, each with its {@link System#nanoTime()} in a header (Kafka Streams copies the input's
     * headers to the output), and a {@code read_committed} consumer of every output topic takes the difference when the
     * decision arrives. Requests sent in the first {@code --latency-warm-up} seconds (15) are the warm-up and are not counted: a new
     * application's first records wait for its start-up (its first fetches, metadata and schemas; seconds here).
     */
    private long[] latencies(final String guarantee, final double rate, final RouterSettings defaults) throws Exception {
        final Setup setup = new Setup(true, guarantee, MAIN_PARTITIONS, false);
        final String inputTopic = "bench.latency." + guarantee.replace('_', '-');
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
            final AtomicReference<Exception> producerFailure = new AtomicReference<>();
            final Thread producerThread = new Thread(() -> offer(inputTopic, rate, total, producerFailure), "bench-latency-producer");
            producerThread.start();
            final long[] latencies = new long[total];
            int counted = 0;
            final long firstSecond = System.nanoTime();
            final long[] worstBySecond = new long[(int) options.latencyWarmUpSeconds + options.latencySeconds + 240];
            int received = 0;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.latencySeconds + 120L);
            while (received < total) {
                if (System.nanoTime() > deadline || producerFailure.get() != null) {
                    throw new IllegalStateException("Latency at " + guarantee + ": " + received + " of " + total + " decisions arrived",
                            producerFailure.get());
                }
                for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    final long now = System.nanoTime();
                    final Header sent = record.headers().lastHeader(SENT_NANOS_HEADER);
                    if (sent == null || received >= total) {
                        throw new IllegalStateException("A decision without the " + SENT_NANOS_HEADER + " header, or more decisions than requests");
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
            producerThread.join();
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

    /** Sends {@code total} requests at {@code rate} per second, each stamped with its send time. */
    private void offer(final String topic, final double rate, final int total, final AtomicReference<Exception> failure) {
        final List<AssistanceRequest> requests = sampleRequests();
        try (KafkaProducer<String, AssistanceRequest> producer = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers(),
                "acks", "all", "linger.ms", 5), new StringSerializer(), serializer())) {
            final long interval = (long) (1e9 / rate);
            long due = System.nanoTime();
            for (int i = 0; i < total; i++) {
                final long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                due += interval;
                final AssistanceRequest request = requests.get(i % requests.size());
                request.setRequestId("latency-" + i);
                final ProducerRecord<String, AssistanceRequest> record = new ProducerRecord<>(topic, request.getRequestId(), request);
                record.headers().add(SENT_NANOS_HEADER, ByteBuffer.allocate(Long.BYTES).putLong(System.nanoTime()).array());
                producer.send(record);
            }
            producer.flush();
        } catch (final RuntimeException e) {
            failure.set(e);
        }
    }

    private String throughputTable(final List<Setup> measured, final Map<String, List<Result>> results) {
        final StringBuilder text = new StringBuilder();
        text.append(String.format("Throughput: %,d requests, %d runs each, median [min - max]%n%n", options.records, options.runs));
        text.append("| application | records/s | ratio to pass-through (same guarantee and partitions) | CPU s per million records (its threads) | heap after GC, MiB (JVM, broker included) |\n");
        text.append("|---|---|---|---|---|\n");
        for (final Setup setup : measured) {
            final List<Result> runs = results.get(setup.label());
            final List<Double> rates = rates(runs);
            final List<Double> cpu = runs.stream().map(result -> result.cpuSecondsPerMillion).collect(Collectors.toList());
            final List<Double> heap = runs.stream().map(result -> (double) result.heapAfterGcMiB).collect(Collectors.toList());
            final List<Result> limit = results.get(setup.limit().label());
            final String ratio = limit == null ? "n/a" : String.format("%.2f", median(rates) / median(rates(limit)));
            text.append(String.format("| %s | %,.0f [%,.0f - %,.0f] | %s | %.1f [%.1f - %.1f] | %.0f [%.0f - %.0f] |%n", setup.label(),
                    median(rates), Collections.min(rates), Collections.max(rates), ratio,
                    median(cpu), Collections.min(cpu), Collections.max(cpu), median(heap), Collections.min(heap), Collections.max(heap)));
        }
        return text.toString();
    }

    private String latencyTable(final RouterSettings defaults, final Map<String, List<Result>> results) throws Exception {
        final StringBuilder text = new StringBuilder();
        text.append(String.format("End-to-end latency, send() to the decision read committed, at half the router's median throughput,"
                + " %d s per guarantee after a %d s warm-up%n%n", options.latencySeconds, options.latencyWarmUpSeconds));
        text.append("| guarantee | offered load, records/s | decisions counted | p50, ms | p99, ms | p99.9, ms | max, ms |\n");
        text.append("|---|---|---|---|---|---|---|\n");
        for (final String guarantee : List.of(AT_LEAST_ONCE, EXACTLY_ONCE)) {
            final List<Result> router = results.get(new Setup(true, guarantee, MAIN_PARTITIONS, false).label());
            if (router == null && options.latencyRate == 0 || !options.selects(new Setup(true, guarantee, MAIN_PARTITIONS, false))) {
                continue;
            }
            final double rate = options.latencyRate > 0 ? options.latencyRate : median(rates(router)) / 2;
            final long[] sorted = latencies(guarantee, rate, defaults);
            final String row = String.format("| %s | %,.0f | %,d | %.1f | %.1f | %.1f | %.1f |%n", guarantee, rate, sorted.length,
                    percentile(sorted, 50), percentile(sorted, 99), percentile(sorted, 99.9), sorted[sorted.length - 1] / 1e6);
            System.out.print("latency " + row);
            text.append(row);
        }
        return text.toString();
    }

    private static double percentile(final long[] sorted, final double percent) {
        final int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }

    private static List<Double> rates(final List<Result> runs) {
        return runs.stream().map(result -> result.recordsPerSecond).collect(Collectors.toList());
    }

    private static double median(final List<Double> values) {
        final List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        final int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }
}
