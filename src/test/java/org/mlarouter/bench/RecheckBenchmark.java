package org.mlarouter.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.mlarouter.avro.AssistanceRequest;
import org.mlarouter.avro.InstrumentStatus;
import org.mlarouter.avro.Measure;
import org.mlarouter.avro.RoutingDecision;
import org.mlarouter.avro.TreatyCoverage;
import org.mlarouter.config.RouterConfig;
import org.mlarouter.config.TopicRole;
import org.mlarouter.serde.MockSchemaRegistry;
import org.mlarouter.testing.MovableClock;
import org.mlarouter.testing.Requests;
import org.mlarouter.testing.SigningKeys;
import org.mlarouter.topology.CoverageListener;
import org.mlarouter.topology.DeadLetterListener;
import org.mlarouter.topology.DecisionListener;
import org.mlarouter.topology.RequestStatus;
import org.mlarouter.topology.RouterContext;
import org.mlarouter.topology.RouterTopics;
import org.mlarouter.topology.RouterTopology;
import org.mlarouter.treaty.TreatyTable;

/**
 * What deciding pending reviews again costs (issue 26): N requests of one counterpart pending review in the router's
 * real topology and RocksDB stores (Kafka Streams' test driver, one task, encrypted mode), then each look of the review
 * desk timed on its thread, with the CPU time and the bytes it allocated: the first look after a start (every pending
 * request decided again, nothing changes), an idle look (nothing changed), a new revision that changes every decision,
 * one that gives them back, a revision in force from a later day (the same decision), and that day arriving.
 *
 * <pre>mvn -B -q -o test-compile exec:java@recheck -Drecheck.args="100000"</pre>
 */
public final class RecheckBenchmark {

    private RecheckBenchmark() {
    }

    public static void main(final String[] args) throws Exception {
        final int pending = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 100_000;
        final String scope = "recheck-" + UUID.randomUUID();
        final Path stateDir = Files.createTempDirectory("recheck-bench");
        final Map<String, String> given = new HashMap<>(SigningKeys.settings());
        given.put(RouterConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://" + scope);
        final RouterConfig config = new RouterConfig(given);
        final RouterTopics topics = RouterTopics.from(config);
        final MovableClock clock = new MovableClock(Instant.parse("2027-01-10T07:00:00Z"));
        final AtomicLong changed = new AtomicLong();
        final Properties streamsConfig = new Properties();
        streamsConfig.putAll(RouterTopology.requiredStreamsConfig(config));
        streamsConfig.put(StreamsConfig.APPLICATION_ID_CONFIG, "recheck-bench");
        streamsConfig.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        streamsConfig.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        streamsConfig.put(RouterContext.CONFIG, new RouterContext(clock, 1, new DecisionListener() {
            @Override
            public void onDecision(final RoutingDecision decision) {
            }

            @Override
            public void onCoverageChanged(final String counterpart) {
                changed.incrementAndGet();
            }
        }, CoverageListener.NONE, DeadLetterListener.NONE));
        try (TopologyTestDriver driver = new TopologyTestDriver(RouterTopology.build(config), streamsConfig, clock.instant())) {
            final TestInputTopic<String, TreatyCoverage> treaties = driver.createInputTopic(config.topic(TopicRole.TREATIES), Serdes.String().serializer(),
                    topics.of(TopicRole.TREATIES, TreatyCoverage.class).valueSerde().serializer());
            final TestInputTopic<String, AssistanceRequest> requests = driver.createInputTopic(config.topic(TopicRole.REQUESTS),
                    Serdes.String().serializer(), topics.of(TopicRole.REQUESTS, AssistanceRequest.class).valueSerde().serializer());
            TreatyTable.shipped("KZ").all().forEach(coverage -> treaties.pipeInput(coverage.getCounterpartState(), coverage));
            final long fillStart = System.nanoTime();
            for (int i = 0; i < pending; i++) {
                final String id = String.format("VN-%07d", i);
                requests.pipeInput(id, Requests.mla(id, "VN", Measure.SERVICE_OF_DOCUMENTS).build());
            }
            final KeyValueStore<String, RequestStatus> statuses = driver.getKeyValueStore(RouterTopology.REQUEST_STATUS_STORE);
            System.out.printf("%,d requests of VN pending review, decided in %.1f s (test driver, one task, RocksDB, encrypted mode)%n",
                    statuses.approximateNumEntries(), (System.nanoTime() - fillStart) / 1e9);
            System.out.printf("heap used after GC before the looks: %.0f MB (the test driver keeps every record it wrote)%n", heapAfterGc() / 1e6);
            System.out.printf("%-58s %9s %9s %11s %9s%n", "look of the review desk", "wall ms", "CPU ms", "alloc MB", "changed");
            look(driver, changed, "first look after the start: every pending request again");
            look(driver, changed, "idle look: nothing changed");
            treaties.pipeInput("VN", vietnam(2, InstrumentStatus.IN_FORCE, null));
            look(driver, changed, "revision 2: the treaty in force, every decision differs");
            look(driver, changed, "idle look after it");
            treaties.pipeInput("VN", vietnam(3, InstrumentStatus.SIGNED, null));
            look(driver, changed, "revision 3: signed again, every mark cleared");
            treaties.pipeInput("VN", vietnam(4, InstrumentStatus.IN_FORCE, "2027-01-15"));
            look(driver, changed, "revision 4: in force from the 15th, the same decision");
            clock.set(Instant.parse("2027-01-14T19:00:00Z"));
            look(driver, changed, "the 15th in Almaty: every decision differs");
            System.out.printf("heap used after GC after the looks: %.0f MB (max %.0f MB)%n", heapAfterGc() / 1e6, Runtime.getRuntime().maxMemory() / 1e6);
        } finally {
            MockSchemaRegistry.dropScope(scope);
        }
    }

    private static void look(final TopologyTestDriver driver, final AtomicLong changed, final String what) {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().getId();
        final long before = changed.get();
        final long allocated = threads.getThreadAllocatedBytes(thread);
        final long cpu = threads.getCurrentThreadCpuTime();
        final long start = System.nanoTime();
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        System.out.printf("%-58s %9.1f %9.1f %11.1f %9d%n", what, (System.nanoTime() - start) / 1e6, (threads.getCurrentThreadCpuTime() - cpu) / 1e6,
                (threads.getThreadAllocatedBytes(thread) - allocated) / 1e6, changed.get() - before);
    }

    private static TreatyCoverage vietnam(final long revision, final InstrumentStatus status, final String since) {
        final TreatyCoverage next = TreatyCoverage.newBuilder(TreatyTable.shipped("KZ").coverage("VN").orElseThrow()).setRevision(revision)
                .setUpdatedAt(Instant.parse("2027-01-09T10:00:00Z")).build();
        next.getInstruments().set(0, org.mlarouter.avro.Instrument.newBuilder(next.getInstruments().get(0)).setStatus(status)
                .setInForceSince(since == null ? null : LocalDate.parse(since)).build());
        return next;
    }

    private static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
