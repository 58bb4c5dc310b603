package org.mlarouter.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Slows down, then refuses, repeated failed sign-ins, counted per name and per address alike (so neither guessing one
 * name's password from many addresses nor many names from one address goes fast). After {@value #FREE_FAILURES} failures
 * each further attempt must wait, 1 s doubling to a minute after the last failure; after {@value #LOCK_AFTER} failures
 * the name or address is refused for {@link #LOCKOUT}. An attempt made too soon is refused without checking its
 * password (HTTP 429, with how long to wait). A success clears its name and address; a count is forgotten
 * {@link #LOCKOUT} after its last failure. At most {@value #MAX_ENTRIES} names and addresses are remembered, the oldest
 * forgotten first.
 */
final class SignInGuard {

    static final int FREE_FAILURES = 3;
    static final int LOCK_AFTER = 10;
    static final Duration LOCKOUT = Duration.ofMinutes(15);
    private static final Duration MAX_WAIT = Duration.ofMinutes(1);
    static final int MAX_ENTRIES = 10_000;

    private record Failures(int count, Instant last) {
    }

    private final Clock clock;
    /** By "name:" or "address:" and the value; guarded by {@code this}. */
    private final Map<String, Failures> failures = new LinkedHashMap<>();

    SignInGuard(final Clock clock) {
        this.clock = clock;
    }

    /** How long an attempt for this name from this address must still wait, if it must. */
    synchronized Optional<Duration> wait(final String name, final String address) {
        final Instant now = clock.instant();
        final Duration forName = waitFor("name:" + name, now);
        final Duration forAddress = waitFor("address:" + address, now);
        final Duration longer = forName.compareTo(forAddress) >= 0 ? forName : forAddress;
        return longer.isZero() ? Optional.empty() : Optional.of(longer);
    }

    synchronized void failed(final String name, final String address) {
        final Instant now = clock.instant();
        count("name:" + name, now);
        count("address:" + address, now);
        if (failures.size() > MAX_ENTRIES) {
            failures.entrySet().removeIf(entry -> !entry.getValue().last().plus(LOCKOUT).isAfter(now));
        }
        while (failures.size() > MAX_ENTRIES) {
            final String oldest = failures.entrySet().stream().min(Comparator.comparing(entry -> entry.getValue().last())).orElseThrow().getKey();
            failures.remove(oldest);
        }
    }

    synchronized void succeeded(final String name, final String address) {
        failures.remove("name:" + name);
        failures.remove("address:" + address);
    }

    private void count(final String key, final Instant now) {
        final Failures held = failures.get(key);
        final int before = held == null || !held.last().plus(LOCKOUT).isAfter(now) ? 0 : held.count();
        failures.put(key, new Failures(before + 1, now));
    }

    private Duration waitFor(final String key, final Instant now) {
        final Failures held = failures.get(key);
        if (held == null) {
            return Duration.ZERO;
        }
        if (!held.last().plus(LOCKOUT).isAfter(now)) {
            failures.remove(key);
            return Duration.ZERO;
        }
        final Duration wait;
        if (held.count() >= LOCK_AFTER) {
            wait = LOCKOUT;
        } else if (held.count() > FREE_FAILURES) {
            final Duration doubling = Duration.ofSeconds(1L << Math.min(held.count() - FREE_FAILURES - 1, 6));
            wait = doubling.compareTo(MAX_WAIT) <= 0 ? doubling : MAX_WAIT;
        } else {
            return Duration.ZERO;
        }
        final Duration left = Duration.between(now, held.last().plus(wait));
        return left.isNegative() ? Duration.ZERO : left;
    }
}
