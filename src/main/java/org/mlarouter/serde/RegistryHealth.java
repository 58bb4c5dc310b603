package org.mlarouter.serde;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the Schema Registries this process talks to answer, as the serdes last found: a call that failed for a reason
 * that is not the record's (unreachable, credentials refused, a server error, another server at the URL) marks the
 * registry in trouble until a call succeeds, or no call has failed for {@link #FORGOTTEN} (longer than the longest wait
 * between a stream thread's attempts). Said once in the log (with the URL and the status) when trouble starts and once
 * when it ends; shown by readiness and metrics. Process-wide, since Kafka makes the serdes.
 */
public final class RegistryHealth {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryHealth.class);
    /** Trouble with no failure for this long is over. */
    static final Duration FORGOTTEN = Duration.ofMinutes(3);

    private static final Map<String, Trouble> TROUBLE = new ConcurrentHashMap<>();
    private static final AtomicLong FAILURES = new AtomicLong();
    private static final Clock CLOCK = Clock.systemUTC();

    private record Trouble(String message, Instant since, Instant lastFailure) {
    }

    private RegistryHealth() {
    }

    /** A call to the registry at {@code registry} failed, not for the record's fault. */
    public static void failed(final String registry, final String message) {
        FAILURES.incrementAndGet();
        final Instant now = CLOCK.instant();
        final Trouble before = TROUBLE.get(registry);
        if (before == null || isOver(before, now)) {
            TROUBLE.put(registry, new Trouble(message, now, now));
            LOG.error("{}; records wait for it, none is dead-lettered for it", message);
        } else {
            TROUBLE.put(registry, new Trouble(before.message, before.since, now));
        }
    }

    /** A call to the registry at {@code registry} succeeded. */
    public static void answered(final String registry) {
        if (TROUBLE.isEmpty()) {
            return;
        }
        final Trouble ended = TROUBLE.remove(registry);
        if (ended != null) {
            LOG.info("The Schema Registry at {} answers again, after {} s", registry, Duration.between(ended.since, CLOCK.instant()).toSeconds());
        }
    }

    /** What is wrong with a registry in trouble, if one is. */
    public static Optional<String> problem() {
        final Instant now = CLOCK.instant();
        return TROUBLE.values().stream().filter(trouble -> !isOver(trouble, now)).findFirst().map(Trouble::message);
    }

    private static boolean isOver(final Trouble trouble, final Instant now) {
        return Duration.between(trouble.lastFailure, now).compareTo(FORGOTTEN) > 0;
    }

    /** Calls that failed, not for a record's fault, since the process started. */
    public static long failures() {
        return FAILURES.get();
    }
}
