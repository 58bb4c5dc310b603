package org.mlarouter.cli;

import org.mlarouter.runtime.RouterApplication;

/** How {@code run} and {@code embedded} serve until stopped: the same messages and exit codes for both. */
final class Serving {

    private Serving() {
    }

    /**
     * Serves until stopped or failed for good, then closes {@code whole} (the router, or the stack that holds it).
     *
     * @param what what is stopped, for the message: "the router", "the embedded stack"
     * @return the exit code
     */
    static int untilStopped(final MlaRouter root, final RouterApplication router, final AutoCloseable whole, final String what)
            throws Exception {
        final boolean failed = router.serveUntilStopped(() -> {
            root.out.println("Stopping " + what);
            whole.close();
        });
        if (failed) {
            root.err.println("mla-router: the router stopped for good (Kafka Streams state ERROR, see the log above); restart "
                    + ("the router".equals(what) ? "the process" : "the stack"));
            return MlaRouter.FAILURE;
        }
        return 0;
    }
}
