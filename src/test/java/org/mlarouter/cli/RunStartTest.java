package org.mlarouter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.mlarouter.config.ReviewKeys;
import org.mlarouter.config.PersonalDataKeys;
import org.mlarouter.config.RouterConfig;
import org.mlarouter.net.Ports;
import org.mlarouter.serde.AvroSerdeConfig;
import org.mlarouter.testing.Await;
import org.mlarouter.testing.Cli;

/**
 * {@code run} at start: a Schema Registry it cannot use stops it with one line naming the URL (exit 2) unless
 * {@code --wait-for-registry}; a Kafka cluster that does not answer is waited for, and said so once.
 */
class RunStartTest {

    private static final String SIGNING_KEY = ReviewKeys.REVIEW_SIGNING_KEY_FILE_CONFIG + "=" + org.mlarouter.testing.SigningKeys.file();
    private static final String KEK = PersonalDataKeys.PERSONAL_DATA_KEK_FILE_CONFIG + "=" + org.mlarouter.testing.SigningKeys.kekFile();

    private static final String NO_KAFKA = "127.0.0.1:" + Ports.free();

    @Test
    void shouldStopAtOnceOnARegistryItCannotUse() throws IOException {
        final String nothing = "http://127.0.0.1:" + Ports.free();
        assertStopsWithOneLine(nothing, "mla-router: The Schema Registry at " + nothing + " could not be reached: connection refused: nothing listens there");
        try (Site refusing = Site.answering(401, "{\"error_code\":401,\"message\":\"Unauthorized\"}")) {
            assertStopsWithOneLine(refusing.url, "mla-router: The Schema Registry at " + refusing.url + " refused the credentials (HTTP 401)");
        }
        try (Site website = Site.answering(200, "<html><body>Welcome</body></html>")) {
            assertStopsWithOneLine(website.url, "mla-router: " + website.url + " answered HTTP 200 with what is not JSON: it is not a Schema Registry");
        }
    }

    @Test
    void shouldWaitForKafkaSayingSoOnce() throws InterruptedException {
        final Cli cli = new Cli(List.of(), Map.of());
        try (Cli.Background run = cli.start(List.of("run"), "--bootstrap-servers", NO_KAFKA, "-p", SIGNING_KEY, "-p", KEK,
                "-p", AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG + "=mock://run-start-test", "-p", RouterConfig.TOOLS_TIMEOUT_CONFIG + "=1s")) {
            Await.until("run to say what it waits for", Duration.ofSeconds(30), () -> !run.err().isEmpty() || !run.isAlive());
            final Instant saidAt = Instant.now();
            // Several one-second attempts go by; each would have said it again.
            Await.until("five seconds of waiting", Duration.ofSeconds(10), () -> !run.isAlive() || Duration.between(saidAt, Instant.now()).toSeconds() >= 5);
            assertTrue(run.isAlive(), "run keeps waiting, as a service should: " + run.err());
            final List<String> said = run.err().lines().toList();
            assertEquals(1, said.size(), "said once: " + said);
            assertTrue(said.get(0).startsWith("mla-router: waiting for Kafka: Kafka at " + NO_KAFKA + " could not be reached within 1 s"), said.get(0));
            assertTrue(said.get(0).endsWith("; trying again until it answers (Ctrl-C stops)"), said.get(0));
            assertEquals("", run.out());
        }
    }

    @Test
    void shouldRefuseToStartWithoutItsSigningKey() {
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int exitCode = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> MlaRouter.run(Map.of(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                "run", "--bootstrap-servers", NO_KAFKA));
        final List<String> said = err.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(MlaRouter.USAGE, exitCode, "exit 2: " + said);
        assertEquals(List.of("mla-router: " + ReviewKeys.REVIEW_SIGNING_KEY_FILE_CONFIG + " is not set: the router signs review outcomes with"
                + " its key; write one with 'mla-router keys new FILE' and give every instance the same file"), said);
    }

    private static void assertStopsWithOneLine(final String registryUrl, final String expected) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int exitCode = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> MlaRouter.run(Map.of(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                "run", "--bootstrap-servers", NO_KAFKA, "-p", SIGNING_KEY, "-p", KEK, "-p", AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG + "=" + registryUrl,
                "-p", RouterConfig.TOOLS_TIMEOUT_CONFIG + "=2s"));
        final List<String> said = err.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(MlaRouter.USAGE, exitCode, "exit 2: " + said);
        assertEquals(1, said.size(), "one line: " + said);
        assertTrue(said.get(0).startsWith(expected), said.get(0));
        assertTrue(said.get(0).endsWith("(--wait-for-registry starts anyway and waits for it)"), said.get(0));
    }

    /** A web server that answers every path with one status and body. */
    private static final class Site implements AutoCloseable {
        final HttpServer server;
        final String url;

        private Site(final HttpServer server) {
            this.server = server;
            this.url = "http://127.0.0.1:" + server.getAddress().getPort();
        }

        static Site answering(final int status, final String body) throws IOException {
            final HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> {
                final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status, bytes.length);
                try (OutputStream response = exchange.getResponseBody()) {
                    response.write(bytes);
                }
            });
            server.start();
            return new Site(server);
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
