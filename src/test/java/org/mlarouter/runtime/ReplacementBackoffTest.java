package org.mlarouter.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class ReplacementBackoffTest {

    /** A clock the test moves. */
    private static final class MovingClock extends Clock {
        Instant now = Instant.parse("2026-11-24T10:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(final java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void shouldDoubleTheWaitUpToAMinuteAndStartOverAfterACalm() {
        final MovingClock clock = new MovingClock();
        final ReplacementBackoff backoff = new ReplacementBackoff(clock);
        final List<Long> waits = new ArrayList<>();
        for (int failure = 0; failure < 9; failure++) {
            final Duration wait = backoff.onFailure();
            waits.add(wait.toSeconds());
            clock.now = clock.now.plus(wait);
        }
        assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 32L, 60L, 60L, 60L), waits);

        clock.now = clock.now.plus(Duration.ofMinutes(6));
        assertEquals(1, backoff.onFailure().toSeconds(), "after five calm minutes it starts over");
    }
}
