package org.mlarouter.bench;

import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.admin.Admin;
import org.mlarouter.config.RouterSettings;
import org.mlarouter.testing.Await;

/** The benchmark's restore phase: how long the router takes to decide again after a restart with its stores full. */
final class RestorePhase {

    private RestorePhase() {
    }

    /**
     * How long the router takes to get back to RUNNING with {@code --restore-ids} request statuses in its stores (and
     * the pending reviews among them): it decides that many requests, stops, and starts again with the same
     * application id. In-memory stores are restored from their changelogs at every start; RocksDB stores only when the
     * local state is gone (measured both ways: kept, and deleted as on a new machine).
     */
    static String table(final BenchmarkStack stack, final RouterSettings defaults, final int restoreIds) throws Exception {
        final String topic = "bench.restore";
        stack.createAndProduce(topic, restoreIds);
        final StringBuilder text = new StringBuilder(String.format("Restore: the router's stores after %,d requests decided"
                + " (at_least_once, cached stores), from start() until a new request is decided%n%n", restoreIds));
        text.append("| store | changelogs on disk, MiB | restart, local state kept, s | restart, local state deleted, s |\n|---|---|---|---|\n");
        try (Admin admin = Admin.create(defaults.adminProperties())) {
            for (final String store : List.of("rocksdb", "in-memory")) {
                final Configuration setup = new Configuration(true, Configuration.AT_LEAST_ONCE, Configuration.MAIN_PARTITIONS, false, store, Configuration.storeSettings(store, true));
                final String applicationId = "bench-restore-" + store;
                try (BenchmarkStack.Started first = stack.start(setup, topic, applicationId)) {
                    Await.until("the router to decide the " + restoreIds + " requests to restore", Duration.ofMinutes(10),
                            () -> BenchmarkStack.outputsAtLeast(admin, first.outputs, restoreIds));
                }
                final double changelogMiB = BenchmarkStack.bytesOnDisk(admin, List.of(applicationId + "-request-status-changelog",
                        applicationId + "-pending-reviews-changelog")) / (1024.0 * 1024.0);
                final double kept = secondsToStart(stack, setup, topic, applicationId);
                BenchmarkStack.deleteDirectory(stack.workDir().resolve("state").resolve(applicationId));
                final double deleted = secondsToStart(stack, setup, topic, applicationId);
                final String row = String.format("| %s | %.0f | %.1f | %.1f |%n", store, changelogMiB, kept, deleted);
                System.out.print("restore " + row);
                text.append(row);
            }
            BenchmarkStack.deleteApplicationTopics(admin);
        }
        return text.toString();
    }

    /**
     * Seconds from starting the router until a new request is decided. A task processes nothing until its stores are
     * restored, and Kafka Streams reports RUNNING while its state updater still restores, so RUNNING is not the end.
     */
    private static double secondsToStart(final BenchmarkStack stack, final Configuration setup, final String topic, final String applicationId) throws Exception {
        final long begin = System.nanoTime();
        try (BenchmarkStack.Started started = stack.start(setup, topic, applicationId);
             Admin admin = Admin.create(started.settings.adminProperties())) {
            final long before = BenchmarkStack.endOffsets(admin, started.outputs);
            // One new request for each partition, so every task must have restored its stores.
            stack.sendProbes(topic, "restore-" + System.nanoTime());
            Await.until("the router to decide a new request on each partition after its restart", Duration.ofMinutes(10),
                    () -> BenchmarkStack.outputsAtLeast(admin, started.outputs, before + Configuration.MAIN_PARTITIONS));
            return (System.nanoTime() - begin) / 1e9;
        }
    }
}
