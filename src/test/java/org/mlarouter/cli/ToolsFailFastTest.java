package org.mlarouter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.mlarouter.config.RouterConfig;
import org.mlarouter.net.Ports;

/** Every tool that talks to Kafka gives up on an address nothing answers at, with one line naming it, and exit code 1. */
class ToolsFailFastTest {

    @Test
    void shouldGiveUpOnAnUnreachableBrokerWithOneLine() {
        final String nowhere = "127.0.0.1:" + Ports.free();
        for (final List<String> command : List.of(List.of("submit", "examples/requests.jsonl"), List.of("tail", "--max-messages", "1"),
                List.of("treaties", "list"), List.of("throughput", "--once"), List.of("reset"))) {
            final List<String> arguments = new ArrayList<>(command);
            arguments.addAll(List.of("--bootstrap-servers", nowhere, "-p", RouterConfig.TOOLS_TIMEOUT_CONFIG + "=2s"));
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            final ByteArrayOutputStream err = new ByteArrayOutputStream();
            final int exitCode = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> MlaRouter.run(Map.of(),
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                    arguments.toArray(String[]::new)), command + " gives up");
            final String said = err.toString(StandardCharsets.UTF_8);
            assertEquals(1, exitCode, command + ": " + said);
            assertEquals(1, said.lines().count(), command + " says it in one line: " + said);
            assertTrue(said.startsWith("mla-router: Kafka at " + nowhere + " could not be reached within 2 s"), command + ": " + said);
        }
    }

    @Test
    void shouldSayInOneLineThatTheEndpointDidNotAnswer() {
        final String nowhere = "http://127.0.0.1:" + Ports.free();
        for (final List<String> command : List.of(List.of("status", "r-1"), List.of("review", "list"),
                List.of("review", "accept", "r-1", "--grounds", "ok"), List.of("review", "confirm", "r-1"))) {
            final List<String> arguments = new ArrayList<>(command);
            arguments.addAll(List.of("--url", nowhere));
            final ByteArrayOutputStream err = new ByteArrayOutputStream();
            final int exitCode = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> MlaRouter.run(Map.of(),
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                    arguments.toArray(String[]::new)), command + " gives up");
            final String said = err.toString(StandardCharsets.UTF_8);
            assertEquals(1, exitCode, command + ": " + said);
            assertEquals(1, said.lines().count(), command + " says it in one line: " + said);
            assertEquals("mla-router: The router's operator endpoint " + nowhere + " did not answer: connection refused: nothing listens there",
                    said.strip(), command + " says why in words, not Java's (null)");
        }
    }

    @Test
    void shouldNameAUrlWithoutSchemeInWords() {
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int exitCode = MlaRouter.run(Map.of(), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), "review", "list", "--url", "127.0.0.1:8080");
        assertEquals(2, exitCode);
        assertEquals("mla-router: Invalid value for option '--url': 127.0.0.1:8080 is not an http:// or https:// address with a host,"
                + " such as http://127.0.0.1:8080",
                err.toString(StandardCharsets.UTF_8).lines().findFirst().orElse(""), "its first line; the second points to --help");
    }

    @Test
    void shouldRefuseAPasswordOnTheCommandLine() {
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int exitCode = MlaRouter.run(Map.of(), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), "review", "accept", "r-1", "--grounds", "ok", "--user", "alice:s3cret");
        final String said = err.toString(StandardCharsets.UTF_8);
        assertEquals(MlaRouter.USAGE, exitCode, said);
        assertTrue(said.startsWith("mla-router: --user takes a name only"), said);
        assertEquals(false, said.contains("s3cret"), "the password is not repeated: " + said);
    }
}
