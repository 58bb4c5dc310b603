package org.mlarouter.runtime;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * How long to wait before a failed stream thread is replaced: 1 s after the first failure, doubling with each failure
 * that follows within {@link #CALM} of the one before, up to a minute. A failure that is not the records' fault (the
 * Schema Registry or the broker down) would otherwise replace threads, and rebalance, as fast as they fail.
 */
final class ReplacementBackoff {

    static final Duration FIRST = Duration.ofSeconds(1);
    static final Duration MAX = Duration.ofSeconds(60);
    /** A failure this long after the previous one starts over at {@link #FIRST}. */
    static final Duration CALM = Duration.ofMinutes(5);

    private final Clock clock;
    private Instant lastFailure;
    private Duration next = FIRST;

    ReplacementBackoff(final Clock clock) {
        this.clock = clock;
    }

    /** The wait before replacing the thread that just failed. */
    synchronized Duration onFailure() {
        final Instant now = clock.instant();
        if (lastFailure == null || Duration.between(lastFailure, now).compareTo(CALM) > 0) {
            next = FIRST;
        }
        lastFailure = now;
        final Duration wait = next;
        next = next.multipliedBy(2).compareTo(MAX) > 0 ? MAX : next.multipliedBy(2);
        return wait;
    }
}
