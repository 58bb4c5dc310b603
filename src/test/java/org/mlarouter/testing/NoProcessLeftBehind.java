package org.mlarouter.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every test class, through JUnit's extension autodetection ({@code junit-platform.properties}): a class that leaves a
 * process it started still running (a router, a broker node, a browser, a client) fails, and the process is killed, so
 * that nothing a test starts outlives the suite. It runs after the class's own extensions have stopped what they
 * started, and gives a process that is stopping a few seconds to end.
 */
public final class NoProcessLeftBehind implements AfterAllCallback {

    private static final Duration GRACE = Duration.ofSeconds(15);

    @Override
    public void afterAll(final ExtensionContext context) {
        final Instant deadline = Instant.now().plus(GRACE);
        List<ProcessHandle> alive = alive();
        while (!alive.isEmpty() && Instant.now().isBefore(deadline)) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            alive = alive();
        }
        if (alive.isEmpty()) {
            return;
        }
        final String described = alive.stream().map(process -> process.pid() + " " + process.info().commandLine().orElse("?"))
                .collect(Collectors.joining("\n  "));
        alive.forEach(ProcessHandle::destroyForcibly);
        fail(context.getDisplayName() + " left " + alive.size() + " process(es) running " + GRACE.toSeconds()
                + " s after it ended (now killed):\n  " + described);
    }

    private static List<ProcessHandle> alive() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList();
    }
}
