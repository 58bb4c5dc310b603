package org.mlarouter.runtime;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Blocks a long-running command until the process is asked to stop (Ctrl-C, SIGTERM), its thread is interrupted (a
 * test), or what it runs fails for good; then lets it close what it runs before the JVM exits: the shutdown hook waits
 * for that, up to 90 seconds.
 */
public final class Shutdown {

    private Shutdown() {
    }

    public interface Cleanup {
        void run() throws Exception;
    }

    /**
     * @param failure counted down when what runs has failed for good
     * @return true if it ended because of {@code failure}, false when asked to stop
     */
    public static boolean awaitThen(final CountDownLatch failure, final Cleanup cleanup) throws Exception {
        final CountDownLatch stopRequested = new CountDownLatch(1);
        final Thread watcher = new Thread(() -> {
            try {
                failure.await();
                stopRequested.countDown();
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "mla-router-failure-watch");
        watcher.setDaemon(true);
        watcher.start();
        final CountDownLatch stopped = new CountDownLatch(1);
        final Thread hook = new Thread(() -> {
            stopRequested.countDown();
            try {
                stopped.await(90, TimeUnit.SECONDS);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "mla-router-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            stopRequested.await();
        } catch (final InterruptedException e) {
            // Interrupted by a caller that wants the command to stop: close as on Ctrl-C.
        } finally {
            watcher.interrupt();
            try {
                cleanup.run();
            } finally {
                stopped.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (final IllegalStateException alreadyShuttingDown) {
                    // The JVM is exiting; the hook is running and will see 'stopped'.
                }
            }
        }
        return failure.getCount() == 0;
    }
}
