package org.mlarouter.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.mlarouter.config.RouterConfig;

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
        final ReplacementBackoff backoff = new ReplacementBackoff(clock, new RouterConfig(Map.of()).replacementBackoffInitial(), new RouterConfig(Map.of()).replacementBackoffMax());
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

    @Test
    void shouldTakeItsBoundsFromTheConfiguration() {
        final MovingClock clock = new MovingClock();
        final RouterConfig config = new RouterConfig(Map.of(RouterConfig.REPLACEMENT_BACKOFF_INITIAL_CONFIG, "500ms",
                RouterConfig.REPLACEMENT_BACKOFF_MAX_CONFIG, "3s"));
        final ReplacementBackoff backoff = new ReplacementBackoff(clock, config.replacementBackoffInitial(), config.replacementBackoffMax());
        final List<Long> waits = new ArrayList<>();
        for (int failure = 0; failure < 5; failure++) {
            final Duration wait = backoff.onFailure();
            waits.add(wait.toMillis());
            clock.now = clock.now.plus(wait);
        }
        assertEquals(List.of(500L, 1000L, 2000L, 3000L, 3000L), waits);
        assertEquals("Invalid value 1s for configuration mla.thread.replacement.backoff.max: shorter than mla.thread.replacement.backoff.initial (2s)",
                assertThrows(ConfigException.class, () -> new RouterConfig(Map.of(RouterConfig.REPLACEMENT_BACKOFF_INITIAL_CONFIG, "2s",
                        RouterConfig.REPLACEMENT_BACKOFF_MAX_CONFIG, "1s"))).getMessage());
    }
}
