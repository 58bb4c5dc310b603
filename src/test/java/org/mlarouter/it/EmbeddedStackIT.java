package org.mlarouter.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlarouter.net.Ports;
import org.mlarouter.testing.Await;
import org.mlarouter.testing.Cli;
import org.mlarouter.testing.RouterProcess;

/** The README's run command, {@code mla-router embedded}, on free ports: demo, stop, restart on the same data, a taken port. */
class EmbeddedStackIT {

    @TempDir
    Path dataDir;

    private final int kafkaPort = Ports.free();
    private final int controllerPort = Ports.free();
    private final int registryPort = Ports.free();
    private final int httpPort = Ports.free();
    private final Cli cli = new Cli(List.of(), Map.of());

    private String[] embeddedOptions(final String... more) {
        final List<String> options = new java.util.ArrayList<>(List.of("--data-dir", dataDir.toString(), "--kafka-port", String.valueOf(kafkaPort),
                "--controller-port", String.valueOf(controllerPort), "--registry-port", String.valueOf(registryPort), "--http-port", String.valueOf(httpPort), "--partitions", "2"));
        options.addAll(List.of(more));
        return options.toArray(String[]::new);
    }

    /** The first supervisor's password, as the embedded stack wrote it in its data directory. */
    private static String password(final Path data) throws java.io.IOException {
        return java.nio.file.Files.readString(data.resolve("first-supervisor.password")).strip();
    }

    private static String basic(final Path data) throws java.io.IOException {
        return "Basic " + java.util.Base64.getEncoder().encodeToString(("admin:" + password(data)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void shouldRunTheDemoThenRestartOnTheSameData() throws Exception {
        try (Cli.Background first = cli.start(List.of("embedded"), embeddedOptions("--demo"))) {
            first.awaitOutput("Demo: 18 of 18 decided", Duration.ofSeconds(120));
            first.awaitOutput("Demo: final decision ACCEPTED", Duration.ofSeconds(60));
            // The status line follows once the status has been asked: awaited, not read at once.
            first.awaitOutput("history NEEDS_REVIEW -> ACCEPTED (DEMO-REVIEWER)", Duration.ofSeconds(60));
            assertTrue(first.out().contains("Treaties          12 counterparts on mla.treaties (published the shipped table)"), first.out());
            assertTrue(first.out().contains("Summary: ACCEPTED 5, REFUSED 5, NEEDS_REVIEW 8"), first.out());
            // A first supervisor, made on first start: the banner says where its password is, and never shows it.
            final Path passwordFile = dataDir.resolve("first-supervisor.password").toAbsolutePath();
            assertTrue(first.out().contains("Sign in           admin (supervisor, operator), made now; its password is in " + passwordFile), first.out());
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(passwordFile)));
            assertFalse(first.out().contains(password(dataDir)) || first.err().contains(password(dataDir)), "the password is never printed");
            // The demo names the console, and its decisions are on it.
            final java.util.regex.Matcher console = java.util.regex.Pattern.compile("Demo: the decisions are on the console, (http://\\S+)/ ")
                    .matcher(first.awaitOutput("Demo: the decisions are on the console", Duration.ofSeconds(60)).out());
            assertTrue(console.find(), first.out());
            final com.fasterxml.jackson.databind.JsonNode overview = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                    java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(console.group(1)
                            + "/console/api/overview")).header("Authorization", basic(dataDir)).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body());
            assertEquals("{\"accepted\":6,\"needs_review\":8,\"refused\":5}", overview.get("decisionsByRoute").toString(),
                    "the demo's 18 decisions and its review's final decision");
            // The banner's hints carry the ports the stack was started on.
            assertTrue(first.out().contains("Review queue:       ./mla-router review list --url http://127.0.0.1:" + httpPort + "\n"), first.out());
            assertTrue(first.out().contains("Follow decisions:   ./mla-router tail --from-beginning --bootstrap-servers 127.0.0.1:" + kafkaPort
                    + " --schema-registry-url http://127.0.0.1:" + registryPort), first.out());
            // The README's review walk-through, run as written after the demo (with this stack's ports, as the banner says).
            final Cli reader = new Cli(List.of(), Map.of("MLA_PASSWORD", password(dataDir), "XDG_CONFIG_HOME", dataDir.resolve("reader").toString()));
            final List<String> said = new java.util.ArrayList<>();
            for (final List<String> command : org.mlarouter.testing.ReadmeCommands.under("## The review loop, walked through")) {
                final List<String> arguments = new java.util.ArrayList<>(command.subList(1, command.size()));
                if (command.get(0).equals("tail")) {
                    arguments.addAll(List.of("--bootstrap-servers", "127.0.0.1:" + kafkaPort, "--schema-registry-url", "http://127.0.0.1:" + registryPort));
                } else {
                    arguments.addAll(List.of("--url", "http://127.0.0.1:" + httpPort));
                }
                final Cli.Result result = reader.run(List.of(command.get(0)), arguments.toArray(String[]::new));
                assertEquals(0, result.exitCode, "README: ./mla-router " + String.join(" ", command) + "\n" + result.out + result.err);
                said.add(result.out);
            }
            assertTrue(String.join("", said).contains("KZ-PG-2026-0004: ACCEPTED"), "the README's accepted request: " + said);
            assertTrue(String.join("", said).contains("KZ-PG-2026-0010: AWAITING_CONFIRMATION"), "the README's refusal, held: " + said);
            assertEquals(0, first.stop());
        }
        try (Cli.Background second = cli.start(List.of("embedded"), embeddedOptions())) {
            second.awaitOutput("mla-router is running", Duration.ofSeconds(120));
            assertTrue(second.out().contains("(kept from the last run)"), second.out());
            assertTrue(second.out().contains("Sign in           admin (supervisor, operator); its password is in"), "the same user: " + second.out());
            final Cli.Result decisions = cli.run(List.of("tail"), "--bootstrap-servers", "127.0.0.1:" + kafkaPort,
                    "--schema-registry-url", "http://127.0.0.1:" + registryPort, "--from-beginning", "--max-messages", "20", "--idle-timeout", "30").ok();
            assertEquals(20, decisions.outLines().size(), "the first run's 18 decisions, the demo's final decision and the README's are still there, readable with the journaled schemas");
        }
    }

    /**
     * A data directory written by the previous release's embedded stack (Kafka 4.3.1: {@code ./mla-router embedded --demo},
     * then Ctrl-C, kept as a test resource) starts on this one: its topics, the demo's decisions and the reviewed
     * request's final status are all there, and a new request is decided.
     */
    @Test
    void shouldStartOnADataDirectoryWrittenByThePreviousRelease() throws Exception {
        final Path archive = Path.of("src/test/resources/legacy/embedded-data-4.3.1.tgz");
        final Process untar = new ProcessBuilder("tar", "xzf", archive.toAbsolutePath().toString(), "-C", dataDir.toString())
                .redirectErrorStream(true).start();
        assertTrue(untar.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) && untar.exitValue() == 0, new String(untar.getInputStream().readAllBytes()));
        final Path legacy = dataDir.resolve("legacy431");
        final String reviewed = "KZ-PG-2026-0016-MXAE0M5Q";
        final String pending = "KZ-PG-2026-0004-MXAE0M5Q";
        try (Cli.Background stack = cli.start(List.of("embedded"), "--data-dir", legacy.toString(), "--kafka-port", String.valueOf(kafkaPort),
                "--controller-port", String.valueOf(controllerPort), "--registry-port", String.valueOf(registryPort), "--http-port", String.valueOf(httpPort))) {
            stack.awaitOutput("mla-router is running", Duration.ofSeconds(120));
            assertTrue(stack.out().contains("(kept from the last run)"), stack.out());
            final Cli.Result decisions = cli.run(List.of("tail"), "--bootstrap-servers", "127.0.0.1:" + kafkaPort,
                    "--schema-registry-url", "http://127.0.0.1:" + registryPort, "--from-beginning", "--max-messages", "19", "--idle-timeout", "30").ok();
            assertEquals(19, decisions.outLines().size(), "the 18 decisions of 4.3.1's demo and its review's final decision");
            assertEquals(2, decisions.outLines().stream().filter(line -> line.contains(reviewed)).count(), decisions.out);

            final String url = "http://127.0.0.1:" + httpPort;
            final Cli admin = new Cli(List.of(), Map.of("MLA_PASSWORD", password(legacy)));
            final com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            final com.fasterxml.jackson.databind.JsonNode status = json.readTree(admin.run(List.of("status"), reviewed, "--url", url, "--json", "--user", "admin").ok().out);
            assertEquals("ACCEPTED", status.get("status").asText(), "the status store kept the review: " + status);
            assertEquals("DEMO-REVIEWER", status.get("review").get("reviewer").asText(), status.toString());
            assertEquals(List.of("NEEDS_REVIEW", "ACCEPTED"), java.util.stream.StreamSupport.stream(status.get("history").spliterator(), false)
                    .map(entry -> entry.get("route").asText()).toList(), status.toString());
            assertEquals("NEEDS_REVIEW", json.readTree(admin.run(List.of("status"), pending, "--url", url, "--json", "--user", "admin").ok().out).get("status").asText(),
                    "and the request still pending");

            final Path request = dataDir.resolve("new-request.jsonl");
            final String sample = java.nio.file.Files.readAllLines(Path.of("examples/requests.jsonl")).get(0);
            java.nio.file.Files.writeString(request, sample.replaceFirst("\"requestId\"\\s*:\\s*\"[^\"]+\"", "\"requestId\":\"AFTER-UPGRADE-1\"") + "\n");
            cli.run(List.of("submit"), request.toString(), "--bootstrap-servers", "127.0.0.1:" + kafkaPort,
                    "--schema-registry-url", "http://127.0.0.1:" + registryPort).ok();
            Await.until("the new request's decision", Duration.ofSeconds(60),
                    () -> admin.run(List.of("status"), "AFTER-UPGRADE-1", "--url", url, "--user", "admin").exitCode == 0);
            assertTrue(admin.run(List.of("status"), "AFTER-UPGRADE-1", "--url", url, "--user", "admin").out.startsWith("AFTER-UPGRADE-1: ACCEPTED"),
                    "a new request is decided on the upgraded data");
            assertEquals(0, stack.stop());
        }
    }

    @Test
    void shouldNameAPortThatIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(registryPort, 1, InetAddress.getByName("127.0.0.1"))) {
            final Cli.Result result = cli.run(List.of("embedded"), embeddedOptions());

            assertEquals(1, result.exitCode);
            assertEquals("mla-router: Schema Registry: port " + registryPort + " on 127.0.0.1 is already in use\n", result.err);
        }
    }

    @Test
    void shouldStartCleanlyAndRegisterEveryStreamsMetric() throws Exception {
        final Path log = dataDir.resolve("embedded.log");
        final List<String> arguments = new java.util.ArrayList<>(List.of("embedded"));
        arguments.addAll(List.of(embeddedOptions("--demo")));
        try (RouterProcess embedded = RouterProcess.start(log, arguments)) {
            Await.until("the demo to end", Duration.ofSeconds(120), () -> embedded.log().contains("Demo: 18 of 18 decided") || !embedded.isAlive());
            final String metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + httpPort + "/metrics")).header("Authorization", basic(dataDir)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(metrics.contains("store_type=\"rocksdb\""), "the state-store metrics of the task stores register");
            // The global coverage store keeps decoded records and has no Kafka Streams metrics of its own: what it holds
            // shows as the revision in force per counterpart.
            assertTrue(metrics.contains("mla_coverage_revision{counterpart=\"FR\"}"), "the coverage in force is shown");
            // The only warning allowed: the data directory of this test is under the OS temp directory.
            final List<String> warnings = embedded.log().lines()
                    .filter(line -> line.contains(" WARN ") || line.contains(" ERROR "))
                    .filter(line -> !(line.contains("StateDirectory") && line.contains("OS temp directory")))
                    .toList();
            assertEquals(List.of(), warnings, "a clean start logs no warning or error");
        }
    }
}
