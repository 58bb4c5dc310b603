package org.mlarouter.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.mlarouter.avro.AssistanceRequest;
import org.mlarouter.config.TopicRole;
import org.mlarouter.testing.SampleRequests;
import org.mlarouter.testing.Await;
import org.mlarouter.testing.KafkaCluster;
import org.mlarouter.testing.RouterProcess;
import org.mlarouter.testing.RouterUnderTest;

/**
 * How the router scales with instances, on the three-broker cluster of the integration tests (three KRaft nodes, each a
 * JVM of its own, replication factor 3, {@code min.insync.replicas} 2): 1, 2 and 3 router processes in one group share
 * the input's partitions, each run with a fresh group over the same pre-produced requests. Each run is warmed up, then
 * timed for a window: decisions per second, and the CPU per decision of the router processes and of the broker
 * processes, read from {@code /proc}. Everything shares the machine's cores, so the curve shows what another instance
 * costs and brings here, not what it brings on a machine of its own.
 *
 * <p>Not part of the test suite. Run: {@code mvn -B -q package -DskipTests exec:java@capacity}; arguments
 * {@code --records N --partitions N --warm-up S --window S --guarantee G}.
 */
public final class CapacityBenchmark {

    private static final long CLOCK_TICKS_PER_SECOND = 100;

    private int records = 4_000_000;
    private int partitions = 6;
    private int warmUpSeconds = 10;
    private int windowSeconds = 30;
    private String guarantee = "at_least_once";

    public static void main(final String[] args) throws Exception {
        final CapacityBenchmark benchmark = new CapacityBenchmark();
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--records" -> benchmark.records = Integer.parseInt(args[++i]);
                    case "--partitions" -> benchmark.partitions = Integer.parseInt(args[++i]);
                    case "--warm-up" -> benchmark.warmUpSeconds = Integer.parseInt(args[++i]);
                    case "--window" -> benchmark.windowSeconds = Integer.parseInt(args[++i]);
                    case "--guarantee" -> benchmark.guarantee = args[++i];
                    default -> throw new IllegalArgumentException("unknown argument " + args[i]);
                }
            }
        } catch (final RuntimeException e) {
            System.err.println("capacity benchmark: " + e.getMessage() + " (--records N, --partitions N, --warm-up S, --window S, --guarantee G)");
            System.exit(2);
        }
        try (KafkaCluster cluster = KafkaCluster.of(Map.of()).start()) {
            benchmark.run(cluster);
        }
        System.exit(0);
    }

    private void run(final KafkaCluster cluster) throws Exception {
        final Path workDir = Files.createTempDirectory("mla-router-capacity");
        final RouterUnderTest app = cluster.router("capacity", partitions).publishShippedTreaties();
        final long produceStart = System.nanoTime();
        produce(app);
        System.out.printf("Produced %,d requests to %s (%d partitions, replicated 3 times) in %.1f s%n", records,
                app.topic(TopicRole.REQUESTS), partitions, (System.nanoTime() - produceStart) / 1e9);
        final StringBuilder table = new StringBuilder(String.format("Capacity on three brokers (each a JVM, RF 3, min ISR 2), %s,"
                + " %d partitions, %,d requests; each run warmed up %d s, then timed for %d s; %d cores, %s%n%n", guarantee, partitions,
                records, warmUpSeconds, windowSeconds, Runtime.getRuntime().availableProcessors(), LocalDate.now()));
        table.append("| router instances | decisions/s | CPU µs per decision, routers | CPU µs per decision, brokers |\n|---|---|---|---|\n");
        for (int instances = 1; instances <= 3; instances++) {
            final RouterUnderTest group = app.with(Map.of(StreamsConfig.APPLICATION_ID_CONFIG, app.prefix() + "-" + instances + "-instances",
                    StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee, StreamsConfig.REPLICATION_FACTOR_CONFIG, "3"));
            final List<RouterProcess> routers = new ArrayList<>();
            final long base = app.writtenToOutputs();
            try {
                for (int instance = 1; instance <= instances; instance++) {
                    routers.add(group.startProcess(workDir.resolve("router-" + instances + "-" + instance + ".log"),
                            workDir.resolve("state-" + instances + "-" + instance), "--http-port", "-1"));
                }
                final long before = app.writtenToOutputs();
                Await.until("the first decisions of " + instances + " instances", Duration.ofMinutes(2), () -> app.writtenToOutputs() > before);
                TimeUnit.SECONDS.sleep(warmUpSeconds);
                final long doneBefore = app.writtenToOutputs();
                final long routerTicksBefore = ticks(routers.stream().map(RouterProcess::pid).collect(Collectors.toList()));
                final long brokerTicksBefore = ticks(brokerPids(cluster));
                final long start = System.nanoTime();
                TimeUnit.SECONDS.sleep(windowSeconds);
                final long done = app.writtenToOutputs() - doneBefore;
                final double seconds = (System.nanoTime() - start) / 1e9;
                final double routerMicros = (ticks(routers.stream().map(RouterProcess::pid).collect(Collectors.toList())) - routerTicksBefore)
                        * 1e6 / CLOCK_TICKS_PER_SECOND / done;
                final double brokerMicros = (ticks(brokerPids(cluster)) - brokerTicksBefore) * 1e6 / CLOCK_TICKS_PER_SECOND / done;
                if (app.writtenToOutputs() - base >= records) {
                    throw new IllegalStateException("The input ran out in the window: raise --records");
                }
                final String row = String.format("| %d | %,.0f | %.1f | %.1f |%n", instances, done / seconds, routerMicros, brokerMicros);
                System.out.print("capacity " + row);
                table.append(row);
            } finally {
                for (final RouterProcess router : routers) {
                    router.close();
                }
            }
        }
        System.out.println();
        System.out.print(table);
        final Path out = Path.of("target/benchmarks");
        Files.createDirectories(out);
        Files.writeString(out.resolve("capacity.md"), table.toString());
        System.out.println("Written: " + out.resolve("capacity.md"));
    }

    private static List<Long> brokerPids(final KafkaCluster cluster) {
        final List<Long> pids = new ArrayList<>();
        for (int node = 1; node <= KafkaCluster.NODES; node++) {
            pids.add(cluster.pid(node));
        }
        return pids;
    }

    /** CPU clock ticks (user and system) the processes have used, from {@code /proc/<pid>/stat}. */
    private static long ticks(final List<Long> pids) throws IOException {
        long sum = 0;
        for (final long pid : pids) {
            final String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // Fields after the command name, which is in parentheses and may hold spaces: utime is the 14th, stime the 15th.
            final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            sum += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        }
        return sum;
    }

    private void produce(final RouterUnderTest app) throws IOException {
        final List<AssistanceRequest> requests = SampleRequests.parsed();
        try (KafkaProducer<String, AssistanceRequest> producer = app.clients().producer(AssistanceRequest.class)) {
            for (int i = 0; i < records; i++) {
                final AssistanceRequest request = requests.get(i % requests.size());
                request.setRequestId("capacity-" + i);
                producer.send(new ProducerRecord<>(app.topic(TopicRole.REQUESTS), request.getRequestId(), request));
            }
            producer.flush();
        }
    }
}
