package org.mlarouter.runtime;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.mlarouter.avro.TreatyCoverage;
import org.mlarouter.topology.CoverageListener;
import org.mlarouter.topology.CoverageStore;

/**
 * The running router's side of the coverage store: passes its changes on (to the metrics), answers for it (the health
 * answer, the console's instruments), and, while coverage records wait for the Schema Registry, tries them again with
 * backoff (500 ms doubling to 10 s) on a thread of its own, so neither the global thread nor a stream thread ever waits
 * on the registry. Kafka Streams tells it of the store when it opens it ({@link #onOpened}).
 */
final class CoverageWatch implements CoverageListener, AutoCloseable {

    private static final Duration FIRST_RETRY = Duration.ofMillis(500);
    private static final Duration MAX_RETRY = Duration.ofSeconds(10);

    private final CoverageListener next;
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(runnable -> {
        final Thread thread = new Thread(runnable, "mla-coverage-retry");
        thread.setDaemon(true);
        return thread;
    });
    private volatile CoverageStore store;
    private Duration retryIn = FIRST_RETRY; // on the retry thread only

    /** @param next told of each change and refusal, as this is */
    CoverageWatch(final CoverageListener next) {
        this.next = next;
        retries.schedule(this::retry, FIRST_RETRY.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void retry() {
        final CoverageStore now = store;
        if (now != null && now.isOpen() && now.waiting()) {
            retryIn = now.retryWaiting() ? min(retryIn.multipliedBy(2), MAX_RETRY) : FIRST_RETRY;
        } else {
            retryIn = FIRST_RETRY;
        }
        retries.schedule(this::retry, retryIn.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void onOpened(final CoverageStore opened) {
        this.store = opened;
        next.onOpened(opened);
    }

    @Override
    public void onCoverageChange(final String counterpart, final TreatyCoverage coverage) {
        next.onCoverageChange(counterpart, coverage);
    }

    @Override
    public void onCoverageRefused(final String counterpart) {
        next.onCoverageRefused(counterpart);
    }

    /** What keeps the coverage from being current, if anything. */
    Optional<String> problem() {
        final CoverageStore now = store;
        return now == null ? Optional.empty() : now.problem();
    }

    /** The coverage in force for a counterpart, or null when there is none (or the store is not open yet). */
    TreatyCoverage inForce(final String counterpart) {
        final CoverageStore now = store;
        return now == null ? null : now.inForce(counterpart);
    }

    /** Every counterpart's coverage, by counterpart (empty before the store opens). */
    java.util.Map<String, TreatyCoverage> all() {
        final CoverageStore now = store;
        return now == null ? java.util.Map.of() : now.all();
    }

    private static Duration min(final Duration a, final Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public void close() {
        retries.shutdownNow();
    }
}
