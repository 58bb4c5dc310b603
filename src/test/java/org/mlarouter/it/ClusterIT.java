package org.mlarouter.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mlarouter.config.TopicRole;
import org.mlarouter.serde.AvroSerdeConfig;
import org.mlarouter.testing.Await;
import org.mlarouter.testing.Decisions;
import org.mlarouter.testing.Figures;
import org.mlarouter.testing.KafkaCluster;
import org.mlarouter.testing.Reviewer;
import org.mlarouter.testing.RouterProcess;
import org.mlarouter.testing.RouterUnderTest;
import org.mlarouter.testing.SteadyLoad;

/**
 * Three routers on a three-broker cluster (replication factor 3, {@code min.insync.replicas=2}) under a steady load with a
 * reviewer at work: every broker restarted in turn, then every router instance, then the broker leading the most
 * partitions SIGKILLed. Nothing lost, nothing duplicated, no dead letter, every review outcome applied once.
 *
 * <p>The CI run is small: {@code mla.cluster.rate} requests/s (300) and {@code mla.cluster.partitions} partitions (6),
 * under {@code mla.cluster.protocol} ({@code classic}; or {@code streams}, KIP-1071).
 * The larger run is a command of its own (docs/reliability.md):
 * {@code mvn verify -Dit.test=ClusterIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dmla.cluster.rate=2000 -Dmla.cluster.partitions=12}.
 */
class ClusterIT {

    private static final int RATE = Integer.getInteger("mla.cluster.rate", 300);
    private static final int PARTITIONS = Integer.getInteger("mla.cluster.partitions", 6);
    private static final String PROTOCOL = System.getProperty("mla.cluster.protocol", "classic");
    private static final List<String> INSTANCES = List.of("a", "b", "c");

    /** The brokers let a streams group (KIP-1071) have the short session timeout the classic group gets from its clients. */
    @RegisterExtension
    static final KafkaCluster CLUSTER = KafkaCluster.of(Map.of("group.streams.min.session.timeout.ms", "6000",
            "group.streams.min.heartbeat.interval.ms", "1000"));

    @TempDir
    Path workDir;
    private final List<RouterProcess> routers = new ArrayList<>();

    @AfterEach
    void stopRouters() throws InterruptedException {
        for (final RouterProcess router : routers) {
            router.close();
        }
    }

    @Test
    void shouldDecideEachRequestOnceThroughBrokerAndInstanceRestartsAndALeaderKill() throws Exception {
        final RouterUnderTest app = CLUSTER.router("cluster", PARTITIONS).publishShippedTreaties();
        if (PROTOCOL.equals("streams")) {
            app.configureGroup(Map.of("streams.session.timeout.ms", "6000", "streams.heartbeat.interval.ms", "1500"));
        }
        for (final String instance : INSTANCES) {
            routers.add(startRouter(app, instance));
        }
        final List<String> events = new ArrayList<>();
        final List<String> ids;
        try (SteadyLoad load = new SteadyLoad(app, RATE); Reviewer reviewer = new Reviewer(app)) {
            awaitProgress(app, "the first decisions");
            for (int node = 1; node <= KafkaCluster.NODES; node++) {
                CLUSTER.stop(node);
                awaitProgress(app, "decisions with broker " + node + " stopped");
                CLUSTER.restart(node);
                CLUSTER.awaitFullyReplicated(Duration.ofSeconds(120));
                events.add("broker " + node + " restarted");
            }
            for (int i = 0; i < INSTANCES.size(); i++) {
                routers.get(i).stop();
                awaitProgress(app, "decisions with router " + INSTANCES.get(i) + " stopped");
                routers.set(i, startRouter(app, INSTANCES.get(i)));
                events.add("router " + INSTANCES.get(i) + " restarted");
            }
            final Map<Integer, Long> leadership = CLUSTER.leadership();
            final int leader = leadership.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
            CLUSTER.kill(leader);
            awaitProgress(app, "decisions with broker " + leader + " killed");
            CLUSTER.restart(leader);
            CLUSTER.awaitFullyReplicated(Duration.ofSeconds(120));
            events.add("broker " + leader + " SIGKILLed (it led " + leadership.get(leader) + " of " + leadership.values().stream().mapToLong(Long::longValue).sum()
                    + " partitions) and restarted");
            awaitProgress(app, "decisions after the faults");
            ids = load.stop();

            final Decisions read = new Decisions(app).awaitReviewsApplied(ids.size(), reviewer).read();
            final Map<String, Integer> byTopic = app.committedByTopic();
            final Map<String, Integer> byKey = app.committedByKey();
            final long lost = ids.stream().filter(id -> read.firstCount(id) == 0).count();
            final long duplicated = ids.stream().filter(id -> read.firstCount(id) > 1).count() + read.finalNotOnce().size();
            Figures.record(String.format("| three brokers, three routers, group.protocol=%s, %d requests/s, %d partitions: %s | %d | %d | %d | %d | %d | %d reviewed, %d final | %d | %d |%n",
                    PROTOCOL, RATE, PARTITIONS, String.join("; ", events), ids.size(), byTopic.get(app.topic(TopicRole.ACCEPTED)), byTopic.get(app.topic(TopicRole.REFUSED)),
                    byTopic.get(app.topic(TopicRole.NEEDS_REVIEW)), byTopic.get(app.topic(TopicRole.DEAD_LETTERS)), reviewer.sent(), read.finalCount(),
                    lost, duplicated));
            assertEquals(List.of(), read.notDecidedOnce(ids), "exactly one first decision each");
            assertEquals(ids.size(), byKey.size(), "nothing but these requests on the output topics");
            assertEquals(0, byTopic.get(app.topic(TopicRole.DEAD_LETTERS)), "no dead letter: nothing here is bad input");
            assertEquals(0, read.reviewDeadLetters(), "no review outcome dead-lettered");
            assertEquals(reviewer.reviewed(), read.finalById.keySet(), "a final decision for each outcome, and only from an outcome");
            assertEquals(List.of(), read.finalNotOnce(), "each review outcome applied once");
            assertEquals(List.of(), CLUSTER.replicatedFewerTimesThan(KafkaCluster.NODES), "every topic, the internal ones too, replicated three times");
        }
    }

    private RouterProcess startRouter(final RouterUnderTest app, final String instance) throws IOException {
        return RouterProcess.start(workDir.resolve("router-" + instance + ".log"), app.runArguments(workDir.resolve("state-" + instance),
                "--http-port", "-1",
                "-p", StreamsConfig.REPLICATION_FACTOR_CONFIG + "=" + KafkaCluster.NODES,
                "-p", StreamsConfig.GROUP_PROTOCOL_CONFIG + "=" + PROTOCOL,
                // A stopped instance's partitions move on after this, not after the 45 s default.
                "-p", ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG + "=6000", "-p", ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG + "=1500",
                "-p", AvroSerdeConfig.REQUEST_TIMEOUT_MS_CONFIG + "=2000")).awaitRunning(Duration.ofSeconds(120));
    }

    /** Waits until decisions keep being written: two seconds' worth of the load more than now. */
    private static void awaitProgress(final RouterUnderTest app, final String what) {
        final long before = app.writtenToOutputs();
        Await.until(what, Duration.ofSeconds(180), () -> app.writtenToOutputs() >= before + 2L * RATE);
    }
}
