package org.mlarouter.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.fail;

/** Bounded, named waits: each says what it waits for, and fails with that name when the bound is reached. */
public final class Await {

    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private Await() {
    }

    /** Waits until {@code condition} holds, checking every 50 ms, failing after {@code timeout}. */
    public static void until(final String what, final Duration timeout, final BooleanSupplier condition) {
        final Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                fail("Timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    /** A value that may throw while it is asked for. */
    @FunctionalInterface
    public interface Attempt<T> {
        /** The value, or null while there is none yet. */
        T get() throws Exception;
    }

    /** Waits until {@code attempt} gives a value (not null), asking every 50 ms, failing after {@code timeout}; the value. */
    public static <T> T value(final String what, final Duration timeout, final Attempt<T> attempt) {
        final Instant deadline = Instant.now().plus(timeout);
        while (true) {
            try {
                final T value = attempt.get();
                if (value != null) {
                    return value;
                }
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (final Exception e) {
                if (Instant.now().isAfter(deadline)) {
                    throw new AssertionError("Timed out after " + timeout.toSeconds() + " s waiting for " + what + ": " + e, e);
                }
            }
            if (Instant.now().isAfter(deadline)) {
                fail("Timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }
}
