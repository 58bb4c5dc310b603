package org.mlarouter.bench;

import org.mlarouter.config.TopicRole;
import static org.mlarouter.bench.Configuration.AT_LEAST_ONCE;
import static org.mlarouter.bench.Configuration.EXACTLY_ONCE;
import static org.mlarouter.bench.Configuration.LARGE_TABLE_SIZE;
import static org.mlarouter.bench.Configuration.LARGE_TABLE_TOPIC;
import static org.mlarouter.bench.Configuration.MAIN_PARTITIONS;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.kstream.Produced;
import org.mlarouter.config.RouterSettings;
import org.mlarouter.clients.TopicSetup;
import org.mlarouter.avro.TreatyCoverage;
import org.mlarouter.treaty.CoverageValidator;
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
 *   <li><b>transactional</b> (KIP-892, not in the default set): the router at {@code exactly_once_v2} with
 *       {@code enable.transactional.statestores} off and on, taking turns;</li>
 *   <li><b>recovery</b> (not in the default set): the router as shipped, in a process of its own, killed with
 *       {@code kill -9} at {@code exactly_once_v2} with {@code --restore-ids} statuses in its stores, transactional
 *       stores off and on ({@link RecoveryPhase});</li>
 *   <li><b>latency</b>: for each guarantee and each of {@code --latency-rates} (10,000 and 2,000 per second), requests
 *       offered at that rate by a producer in a process of its own ({@link LoadProducer}), and the time from
 *       {@code send()} to the decision read by a {@code read_committed} consumer: p50, p99, p99.9, max.</li>
 * </ol>
 * It writes {@code target/benchmarks/results.md} (the tables) and {@code target/benchmarks/throughput.svg} (the
 * chart). Not part of the test suite. Run (docs/benchmarks.md):
 * {@code mvn -B -q package -DskipTests exec:java@benchmark -Dbenchmark.args="--records 20000000 --runs 3"}.
 */
public final class RouterBenchmark {

    private static final Duration RUN_LIMIT = Duration.ofMinutes(30);

    private final BenchmarkStack stack;
    private final Options options;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

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
        boolean selects(final Configuration setup) {
            return setup.label().replace(' ', '-').contains(only.replace(' ', '-'));
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

    private RouterBenchmark(final BenchmarkStack stack, final Options options) {
        this.stack = stack;
        this.options = options;
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
                    + " --latency-warm-up N (seconds), --latency-rates N,N (default 10000,2000), --phases throughput,scaling,compression,stores,restore,transactional,recovery,latency,"
                    + " --set key=value for the router, --only text of a label)");
            System.exit(2);
        }
        try (BenchmarkStack stack = BenchmarkStack.start(options.routerOverrides)) {
            new RouterBenchmark(stack, options).run();
        }
        System.exit(0);
    }

    private void run() throws Exception {
        final RouterSettings defaults = stack.settings("bench-setup", AT_LEAST_ONCE);
        final boolean scaling = options.phases.contains("scaling");
        final List<Integer> partitionCounts = scaling ? List.of(MAIN_PARTITIONS, 1, 12) : List.of(MAIN_PARTITIONS);
        try (Admin admin = Admin.create(defaults.adminProperties())) {
            new TopicSetup(admin, defaults.router()).createMissing(MAIN_PARTITIONS, (short) 1);
            for (final int partitions : partitionCounts) {
                BenchmarkStack.createTopic(admin, new Configuration(true, AT_LEAST_ONCE, partitions, false).inputTopic(defaults), partitions);
                if (partitions != MAIN_PARTITIONS) {
                    BenchmarkStack.createTopic(admin, Configuration.reviewsTopic(partitions), partitions);
                }
            }
        }
        stack.publishTreaties(defaults.router().topic(TopicRole.TREATIES), TreatyTable.shipped("KZ").all());
        if (scaling) {
            stack.publishTreaties(LARGE_TABLE_TOPIC, largeTable());
        }
        for (final int partitions : partitionCounts) {
            final String topic = new Configuration(true, AT_LEAST_ONCE, partitions, false).inputTopic(defaults);
            final int count = partitions == MAIN_PARTITIONS ? options.records : options.scalingRecords;
            final long produceStart = System.nanoTime();
            stack.produceRequests(topic, count);
            System.out.printf("Produced %,d requests to %s (%d partitions) in %.1f s%n", count, topic, partitions,
                    (System.nanoTime() - produceStart) / 1e9);
        }

        final Map<String, List<Result>> results = new LinkedHashMap<>();
        final List<Configuration> measured = new ArrayList<>();
        final List<Configuration> rounds = new ArrayList<>();
        if (options.phases.contains("throughput")) {
            for (final String guarantee : List.of(AT_LEAST_ONCE, EXACTLY_ONCE)) {
                rounds.add(new Configuration(false, guarantee, MAIN_PARTITIONS, false));
                rounds.add(new Configuration(true, guarantee, MAIN_PARTITIONS, false));
            }
        }
        if (scaling) {
            rounds.add(new Configuration(true, AT_LEAST_ONCE, MAIN_PARTITIONS, true));
            // The router alone: its steady window needs far fewer records than the pass-through's.
            for (final int partitions : List.of(1, 12)) {
                rounds.add(new Configuration(true, AT_LEAST_ONCE, partitions, false));
            }
            rounds.add(Configuration.router(AT_LEAST_ONCE, "2 stream threads", Map.of("num.stream.threads", "2")));
        }
        for (final String guarantee : List.of(AT_LEAST_ONCE, EXACTLY_ONCE)) {
            if (options.phases.contains("compression")) {
                for (final String compression : List.of("none", "lz4", "zstd")) {
                    rounds.add(Configuration.router(guarantee, "compression " + compression, Map.of("producer.compression.type", compression)));
                }
            }
            if (options.phases.contains("stores")) {
                for (final String store : List.of("rocksdb", "in-memory")) {
                    for (final boolean cached : List.of(true, false)) {
                        rounds.add(Configuration.router(guarantee, store + (cached ? " cached" : " uncached"), Configuration.storeSettings(store, cached)));
                    }
                }
            }
        }
        if (options.phases.contains("transactional")) {
            // KIP-892 (Kafka 4.4): the same router under exactly-once v2 with the stores' writes held until commit, or not.
            for (final boolean transactional : List.of(false, true)) {
                rounds.add(Configuration.router(EXACTLY_ONCE, "transactional stores " + (transactional ? "on" : "off"),
                        Map.of(org.apache.kafka.streams.StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, String.valueOf(transactional))));
            }
        }
        rounds.removeIf(setup -> !options.selects(setup));
        for (int run = 1; run <= options.runs; run++) {
            for (final Configuration setup : rounds) {
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
            report.append('\n').append(RestorePhase.table(stack, defaults, options.restoreIds));
        }
        if (options.phases.contains("recovery")) {
            report.append('\n').append(RecoveryPhase.table(stack, defaults, options.restoreIds));
        }
        if (options.phases.contains("latency")) {
            report.append('\n').append(new LatencyPhase(stack, options.latencyRates, options.latencySeconds,
                    options.latencyWarmUpSeconds, options::selects).table(defaults));
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

    /**
     * One run of one application with a fresh application id, measured in its steady state: once it has produced its
     * first output, {@code --warm-up} seconds of processing are left out (JIT compilation, first fetches, the
     * producers' first batches), then a window of {@code --window} seconds is timed: records done, the CPU of the
     * application's threads and of the rest of the JVM (the broker), and the heap after each GC. The window ends early,
     * and says so, if the input runs out. The application's topics are deleted afterwards.
     */
    private Result measure(final Configuration setup, final RouterSettings defaults) throws Exception {
        final String inputTopic = setup.inputTopic(defaults);
        final long records = setup.partitions == MAIN_PARTITIONS ? options.records : options.scalingRecords;
        try (Admin admin = Admin.create(defaults.adminProperties())) {
            try (BenchmarkStack.Started started = stack.start(setup, inputTopic)) {
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
                final double bytesPerRecord = (double) BenchmarkStack.bytesOnDisk(admin, started.outputs)
                        / Math.max(1, BenchmarkStack.endOffsets(admin, started.outputs));
                return new Result(counted / seconds, applicationCpu / 1e3 / counted, restCpu / 1e3 / counted,
                        heapAfterFullGc() / (1024 * 1024), seconds, bytesPerRecord);
            } finally {
                BenchmarkStack.deleteApplicationTopics(admin);
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
            return EXACTLY_ONCE.equals(guarantee) ? committed(admin, applicationId, input) : BenchmarkStack.endOffsets(admin, outputs);
        } catch (final ExecutionException e) {
            if (e.getCause() instanceof RetriableException) {
                return 0;
            }
            throw new IllegalStateException(e.getCause());
        }
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

    private String throughputTable(final List<Configuration> measured, final Map<String, List<Result>> results) {
        final StringBuilder text = new StringBuilder();
        text.append(String.format("Throughput in steady state: %,d requests in the input (%,d for 1 and 12 partitions), each run"
                + " warmed up %d s, then timed for a window of %d s; %d runs each, median [min - max]%n%n", options.records,
                options.scalingRecords, options.warmUpSeconds, options.windowSeconds, options.runs));
        text.append("| application | records/s | ratio to pass-through (same guarantee and partitions) | CPU µs per record, application"
                + " | CPU µs per record, broker (rest of the JVM) | bytes on disk per output record | heap after GC, MiB (JVM, broker"
                + " included) | window, s |\n");
        text.append("|---|---|---|---|---|---|---|---|\n");
        for (final Configuration setup : measured) {
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
