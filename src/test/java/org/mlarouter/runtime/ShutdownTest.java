package org.mlarouter.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class ShutdownTest {

    @Test
    void shouldEndTheWaitAndCleanUpWhenWhatRunsFailsForGood() throws Exception {
        final CountDownLatch failure = new CountDownLatch(1);
        final AtomicInteger cleanups = new AtomicInteger();
        failure.countDown();

        final boolean failed = Shutdown.awaitThen(failure, cleanups::incrementAndGet);

        assertTrue(failed);
        assertEquals(1, cleanups.get());
    }

    @Test
    void shouldEndTheWaitAndCleanUpWhenInterrupted() throws Exception {
        final CountDownLatch failure = new CountDownLatch(1);
        final AtomicBoolean cleaned = new AtomicBoolean();
        final AtomicBoolean failed = new AtomicBoolean(true);
        final Thread command = new Thread(() -> {
            try {
                failed.set(Shutdown.awaitThen(failure, () -> cleaned.set(true)));
            } catch (final Exception e) {
                throw new IllegalStateException(e);
            }
        });
        command.start();

        command.interrupt();
        command.join(Duration.ofSeconds(10).toMillis());

        assertFalse(command.isAlive());
        assertTrue(cleaned.get());
        assertFalse(failed.get(), "a stop request is no failure");
    }
}
