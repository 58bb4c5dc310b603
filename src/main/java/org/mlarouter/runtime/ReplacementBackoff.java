package org.mlarouter.runtime;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * How long to wait before a failed stream thread is replaced: {@code initial} (1 s by default) after the first failure,
 * doubling with each failure that follows within {@link #CALM} of the one before, up to {@code max} (a minute by
 * default; {@code mla.thread.replacement.backoff.*}). A failure that is not the records' fault (the
 * Schema Registry or the broker down) would otherwise replace threads, and rebalance, as fast as they fail.
 */
final class ReplacementBackoff {

    /** A failure this long after the previous one starts over at the initial wait. */
    static final Duration CALM = Duration.ofMinutes(5);

    private final Clock clock;
    private final Duration initial;
    private final Duration max;
    private Instant lastFailure;
    private Duration next;

    ReplacementBackoff(final Clock clock, final Duration initial, final Duration max) {
        this.clock = clock;
        this.initial = initial;
        this.max = max;
        this.next = initial;
    }

    /** The wait before replacing the thread that just failed. */
    synchronized Duration onFailure() {
        final Instant now = clock.instant();
        if (lastFailure == null || Duration.between(lastFailure, now).compareTo(CALM) > 0) {
            next = initial;
        }
        lastFailure = now;
        final Duration wait = next;
        next = next.multipliedBy(2).compareTo(max) > 0 ? max : next.multipliedBy(2);
        return wait;
    }
}
