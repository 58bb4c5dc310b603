package org.mlarouter.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A clock a test moves by hand (thread-safe): the router dates decisions by it and reads treaty dates on its day. */
public final class MovableClock extends Clock {

    private final AtomicReference<Instant> now;

    public MovableClock(final Instant start) {
        this.now = new AtomicReference<>(start);
    }

    /** Sets the time. */
    public void set(final Instant instant) {
        now.set(instant);
    }

    /** Moves the time on. */
    public void advance(final Duration duration) {
        now.updateAndGet(instant -> instant.plus(duration));
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(final ZoneId zone) {
        if (ZoneOffset.UTC.equals(zone)) {
            return this;
        }
        final MovableClock outer = this;
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return zone;
            }

            @Override
            public Clock withZone(final ZoneId other) {
                return outer.withZone(other);
            }

            @Override
            public Instant instant() {
                return outer.instant();
            }
        };
    }

    @Override
    public Instant instant() {
        return now.get();
    }
}
