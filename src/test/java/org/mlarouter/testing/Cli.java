package org.mlarouter.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.mlarouter.cli.MlaRouter;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Runs the real command line in this JVM ({@link MlaRouter#run}), with its output captured. */
public final class Cli {

    private final List<String> commonOptions;
    private final Map<String, String> environment;

    /** @param commonOptions options added to every command that talks to Kafka (brokers, registry, topics) */
    public Cli(final List<String> commonOptions, final Map<String, String> environment) {
        this.commonOptions = List.copyOf(commonOptions);
        this.environment = Map.copyOf(environment);
    }

    /** What a command printed and returned. */
    public static final class Result {
        public final int exitCode;
        public final String out;
        public final String err;

        Result(final int exitCode, final String out, final String err) {
            this.exitCode = exitCode;
            this.out = out;
            this.err = err;
        }

        public List<String> outLines() {
            return out.isBlank() ? List.of() : Arrays.asList(out.split("\n"));
        }

        /** Fails unless the command exited 0. */
        public Result ok() {
            assertEquals(0, exitCode, "exit code; stdout:\n" + out + "\nstderr:\n" + err);
            return this;
        }
    }

    /** Runs a command with the common options inserted after its name(s), e.g. {@code run("treaties", "load", file)}. */
    public Result run(final List<String> command, final String... arguments) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int exitCode = MlaRouter.run(environment, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), arguments(command, arguments));
        return new Result(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private String[] arguments(final List<String> command, final String... arguments) {
        final List<String> all = new ArrayList<>(command);
        all.addAll(commonOptions);
        all.addAll(Arrays.asList(arguments));
        return all.toArray(String[]::new);
    }

    /** Starts a long-running command (run, embedded) on a thread of its own. */
    public Background start(final List<String> command, final String... arguments) {
        return new Background(arguments(command, arguments));
    }

    /** A long-running command; {@link #stop()} interrupts it as Ctrl-C would stop it. */
    public final class Background implements AutoCloseable {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteArrayOutputStream err = new ByteArrayOutputStream();
        private final AtomicInteger exitCode = new AtomicInteger(-1);
        private final Thread thread;

        Background(final String[] arguments) {
            thread = new Thread(() -> exitCode.set(MlaRouter.run(environment, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), arguments)), "cli-" + arguments[0]);
            thread.start();
        }

        public String out() {
            return out.toString(StandardCharsets.UTF_8);
        }

        public String err() {
            return err.toString(StandardCharsets.UTF_8);
        }

        public boolean isAlive() {
            return thread.isAlive();
        }

        /** Waits until the command has printed {@code text}, or failed. */
        public Background awaitOutput(final String text, final Duration timeout) {
            Await.until("'" + text + "' from the command (stderr so far: " + err.toString(StandardCharsets.UTF_8) + ")", timeout,
                    () -> out().contains(text) || !thread.isAlive());
            assertEquals(true, out().contains(text), "the command ended: exit " + exitCode.get() + "\n" + out() + "\n" + err);
            return this;
        }

        /** Stops the command and waits for it to end; returns its exit code. */
        public int stop() throws InterruptedException {
            thread.interrupt();
            thread.join(Duration.ofSeconds(90).toMillis());
            assertEquals(false, thread.isAlive(), "the command did not stop within 90 s");
            return exitCode.get();
        }

        @Override
        public void close() throws InterruptedException {
            if (thread.isAlive()) {
                stop();
            }
        }
    }
}
