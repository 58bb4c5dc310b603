package org.mlarouter.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The router's runnable jar in a process of its own, so that a crash (SIGKILL) is a real one. Output goes to a log file. */
public final class RouterProcess implements AutoCloseable {

    private static final Path JAR = Path.of("target/mla-router.jar");

    private final Process process;
    private final Path log;

    private RouterProcess(final Process process, final Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code java -jar target/mla-router.jar <arguments>}, appending its output to {@code log}. */
    public static RouterProcess start(final Path log, final List<String> arguments) throws IOException {
        return start(log, List.of(), arguments);
    }

    /** The same, with JVM options (system properties, say) before {@code -jar}. */
    public static RouterProcess start(final Path log, final List<String> jvmOptions, final List<String> arguments) throws IOException {
        assertTrue(Files.exists(JAR), JAR + " is built by 'mvn package', before the integration tests");
        final List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx512m"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", JAR.toString()));
        command.addAll(arguments);
        final Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new RouterProcess(process, log);
    }

    /** Waits until the router has logged that it runs (it prints this once RUNNING). */
    public RouterProcess awaitRunning(final Duration timeout) {
        Await.until("the router process to be RUNNING (log " + log + ")", timeout, () -> log().contains("mla-router running") || !process.isAlive());
        assertTrue(process.isAlive(), "the router process ended:\n" + log());
        return this;
    }

    /** Everything the process has written so far (this and earlier processes sharing the log file). */
    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (final IOException e) {
            return "";
        }
    }

    /** Whether the process still runs (the router exits 1 when Kafka Streams fails for good). */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** The process id, for tools that inspect the process (jcmd, /proc). */
    public long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook, no commit, no leaving the group. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the killed router did not end");
    }

    /** SIGTERM: a clean stop. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
    }
}
