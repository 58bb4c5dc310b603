package org.mlarouter.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mlarouter.avro.AssistanceRequest;
import org.mlarouter.json.AvroJson;
import org.mlarouter.testing.AgencyPython;
import org.mlarouter.testing.Await;
import org.mlarouter.testing.Cli;
import org.mlarouter.avro.Route;
import org.mlarouter.config.TopicRole;
import org.mlarouter.testing.KafkaStack;
import org.mlarouter.topology.RouterTopology;
import org.mlarouter.testing.RouterUnderTest;
import org.mlarouter.testing.SampleRequests;
import org.mlarouter.testing.SigningKeys;

/**
 * The router on a real Kafka broker (KRaft, in this JVM) with the embedded Schema Registry, driven through the real
 * command line: treaties load, run, submit, tail. Each test has topics and an application id of its own.
 */
class RouterIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Path SHIPPED_TREATIES = Path.of("src/main/resources/treaties/kz-treaties.json");

    @RegisterExtension
    static final KafkaStack KAFKA = KafkaStack.plain();

    @TempDir
    Path workDir;
    private RouterUnderTest app;
    private Cli cli;

    @BeforeEach
    void useTopicsOfThisTest() throws InterruptedException {
        app = KAFKA.router("it", 3);
        cli = app.cli();
    }

    private Cli.Background startRouter() {
        return app.startInJvm(workDir.resolve("state"), "--http-port", "0");
    }

    /** Decisions read with the tail command, as JSON, by request id. */
    private Map<String, JsonNode> tail(final int expected, final String... routes) throws IOException {
        final List<String> arguments = new ArrayList<>(List.of("--from-beginning", "--max-messages", String.valueOf(expected), "--idle-timeout", "60"));
        for (final String route : routes) {
            arguments.add("--route");
            arguments.add(route);
        }
        final Cli.Result result = cli.run(List.of("tail"), arguments.toArray(String[]::new)).ok();
        final Map<String, JsonNode> decisions = new HashMap<>();
        for (final String line : result.outLines()) {
            final JsonNode decision = MAPPER.readTree(line);
            assertEquals(null, decisions.put(decision.get("requestId").asText(), decision), "decided twice: " + line);
        }
        return decisions;
    }

    @Test
    void shouldRouteSubmittedRequestsToTheTopicOfTheirRoute() throws Exception {
        try (Cli.Background router = startRouter()) {
            cli.run(List.of("treaties", "load"), SHIPPED_TREATIES.toString()).ok();
            final Cli.Result submitted = cli.run(List.of("submit"), SampleRequests.FILE.toString()).ok();
            assertTrue(submitted.out.startsWith("Submitted 18 requests to " + app.topic(TopicRole.REQUESTS)), submitted.out);

            final Map<String, JsonNode> accepted = tail(5, "accepted");
            final Map<String, JsonNode> refused = tail(5, "refused");
            final Map<String, JsonNode> needsReview = tail(8, "needs_review");

            final Map<String, String> expected = SampleRequests.expectedRoutes();
            final Map<String, String> actual = new HashMap<>();
            accepted.forEach((id, decision) -> actual.put(id, "ACCEPTED:" + decision.get("route").asText()));
            refused.forEach((id, decision) -> actual.put(id, "REFUSED:" + decision.get("route").asText()));
            needsReview.forEach((id, decision) -> actual.put(id, "NEEDS_REVIEW:" + decision.get("route").asText()));
            assertEquals(expected.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue() + ":" + entry.getValue())),
                    actual, "topic:route of each decision");
            assertEquals("KZ-FR-MLA", accepted.get("KZ-PG-2026-0001").get("legalBasis").asText());
            final JsonNode subject = accepted.get("KZ-PG-2026-0001").get("request").get("subjects").get(0);
            assertEquals("SUSPECT", subject.get("role").asText(), "a decision carries the full request");
            assertTrue(subject.get("fullName").asText().startsWith("mla-enc:v1:") && !subject.toString().contains("Arman"),
                    "its personal data encrypted: " + subject);
            // Whoever holds the key-encryption keys reads it in clear.
            final String decrypted = cli.run(List.of("tail"), "--from-beginning", "--route", "accepted", "--max-messages", "5",
                    "--idle-timeout", "30", "--decrypt").ok().out;
            assertTrue(decrypted.contains("\"fullName\": \"Arman Demo-Suspect\"") || decrypted.contains("\"fullName\":\"Arman Demo-Suspect\""),
                    decrypted);
            assertFalse(decrypted.contains("mla-enc:v1:"), decrypted);
        }
    }

    /**
     * The proof in the files (issue 23, item 8): with the sample requests decided in encrypted mode, their names and
     * offence descriptions are found, byte for byte, in the log segments of the request topic (written by the agency)
     * and nowhere else of this router's: not in its decision, overdue, key or internal topics, not in its state directory.
     */
    @Test
    void shouldLeaveNoPersonalDataInClearOnDiskButInTheRequestTopic() throws Exception {
        final Path stateDir = workDir.resolve("state");
        final List<String> personal = new ArrayList<>();
        for (final String line : Files.readAllLines(SampleRequests.FILE)) {
            final JsonNode request = MAPPER.readTree(line);
            request.get("subjects").forEach(subject -> personal.add(subject.get("fullName").asText()));
            personal.add(request.get("offence").get("description").asText());
        }
        final AssistanceRequest first = SampleRequests.parsed().get(0);
        final AssistanceRequest moved = AssistanceRequest.newBuilder(SampleRequests.parsed().get(1)).setRequestId("KZ-SCAN-MOVED").build();
        final byte[] undecodable = ("not avro, naming " + personal.get(0)).getBytes(StandardCharsets.UTF_8);
        try (Cli.Background router = app.startInJvm(stateDir, "--http-port", "0")) {
            cli.run(List.of("treaties", "load"), SHIPPED_TREATIES.toString()).ok();
            cli.run(List.of("submit"), SampleRequests.FILE.toString()).ok();
            // What else carries personal data through the router: a retry (a dead letter), a request keyed otherwise than by
            // its id (the repartition topic), and bytes that are not a request at all (a dead letter).
            try (org.apache.kafka.clients.producer.KafkaProducer<String, AssistanceRequest> producer = app.clients().producer(AssistanceRequest.class);
                 org.apache.kafka.clients.producer.KafkaProducer<String, byte[]> raw = new org.apache.kafka.clients.producer.KafkaProducer<>(
                         app.settings().producerProperties(), new org.apache.kafka.common.serialization.StringSerializer(),
                         new org.apache.kafka.common.serialization.ByteArraySerializer())) {
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(app.topic(TopicRole.REQUESTS), first.getRequestId(), first)).get();
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(app.topic(TopicRole.REQUESTS), "agency-key", moved)).get();
                raw.send(new org.apache.kafka.clients.producer.ProducerRecord<>(app.topic(TopicRole.REQUESTS), "junk", undecodable)).get();
            }
            assertEquals(19, tail(19).size());
            // The dead letters are sealed, and open with their own keys for whoever holds the key-encryption keys (replay).
            final List<byte[]> opened = new ArrayList<>();
            try (org.mlarouter.clients.DataKeyReader keys = new org.mlarouter.clients.DataKeyReader(app.settings(), SigningKeys.keyEncryptionKeys());
                 org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]> consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(
                         Map.of("bootstrap.servers", KAFKA.bootstrapServers(), "isolation.level", "read_committed"),
                         new org.apache.kafka.common.serialization.ByteArrayDeserializer(), new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
                final List<org.apache.kafka.common.TopicPartition> partitions = org.mlarouter.clients.TopicReader.assign(consumer,
                        List.of(app.topic(TopicRole.DEAD_LETTERS)), true);
                Await.until("two dead letters", Duration.ofSeconds(60), () -> {
                    org.mlarouter.clients.TopicReader.readToEnd(consumer, partitions, Duration.ofSeconds(10), record -> {
                        assertTrue(org.mlarouter.topology.DeadLetterSeal.sealed(record.value()), "sealed");
                        opened.add(keys.deadLetterValue(record.headers(), record.value()).orElseThrow());
                    });
                    return opened.size() >= 2;
                });
            }
            assertEquals(2, opened.size());
            assertTrue(opened.stream().anyMatch(value -> java.util.Arrays.equals(undecodable, value)), "the bytes as the agency sent them");
            assertTrue(opened.stream().anyMatch(value -> new String(value, StandardCharsets.ISO_8859_1).contains(first.getSubjects().get(0).getFullName())));
            assertEquals(0, router.stop(), "stopped: its stores flushed to disk");
        }
        final String prefix = app.topic(TopicRole.REQUESTS).substring(0, app.topic(TopicRole.REQUESTS).indexOf('.'));
        final Map<String, List<String>> found = new java.util.TreeMap<>();
        final List<Path> scanned = new ArrayList<>();
        try (java.util.stream.Stream<Path> logDirs = Files.list(KAFKA.dataDir().resolve("kafka"))) {
            for (final Path dir : logDirs.filter(dir -> dir.getFileName().toString().startsWith(prefix)).toList()) {
                scanned.add(dir);
            }
        }
        scanned.add(stateDir);
        for (final Path root : scanned) {
            try (java.util.stream.Stream<Path> files = Files.walk(root)) {
                for (final Path file : files.filter(Files::isRegularFile).toList()) {
                    final String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                    for (final String value : personal) {
                        if (bytes.contains(new String(value.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1))) {
                            found.computeIfAbsent(root.getFileName() + "/" + root.relativize(file), key -> new ArrayList<>()).add(value);
                        }
                    }
                }
            }
        }
        final java.util.Set<String> where = new java.util.TreeSet<>();
        found.keySet().forEach(file -> where.add(file.substring(0, file.indexOf('/'))));
        System.out.println("SCAN of " + scanned.size() + " log and state directories for " + personal.size() + " names and descriptions: found in "
                + where);
        assertFalse(where.isEmpty(), "the scan finds what the agency wrote: it can find");
        for (final String dir : where) {
            assertTrue(dir.matches(java.util.regex.Pattern.quote(app.topic(TopicRole.REQUESTS)) + "-\\d+"), "personal data in clear in " + dir
                    + ": " + found.entrySet().stream().filter(entry -> entry.getKey().startsWith(dir + "/")).toList());
        }
    }

    /** Every topic the router creates says how long it keeps its records, as the broker reports it. */
    @Test
    void shouldCreateEveryTopicWithAnExplicitRetentionOrCompaction() throws Exception {
        final Map<org.apache.kafka.common.config.ConfigResource, TopicRole> roles = new java.util.LinkedHashMap<>();
        for (final TopicRole role : TopicRole.values()) {
            roles.put(new org.apache.kafka.common.config.ConfigResource(org.apache.kafka.common.config.ConfigResource.Type.TOPIC, app.topic(role)), role);
        }
        final Map<TopicRole, String> read = new java.util.TreeMap<>();
        try (org.apache.kafka.clients.admin.Admin admin = app.clients().admin()) {
            admin.describeConfigs(roles.keySet()).all().get(30, java.util.concurrent.TimeUnit.SECONDS).forEach((resource, config) -> read.put(
                    roles.get(resource), config.get("cleanup.policy").value() + " " + config.get("retention.ms").value()));
        }
        final String days14 = String.valueOf(Duration.ofDays(14).toMillis());
        final String days400 = String.valueOf(Duration.ofDays(400).toMillis());
        final Map<TopicRole, String> expected = new java.util.TreeMap<>(Map.of(TopicRole.REQUESTS, "delete " + days14,
                TopicRole.DEAD_LETTERS, "delete " + days14, TopicRole.REVIEW_DEAD_LETTERS, "delete " + days14,
                TopicRole.ACCEPTED, "delete " + days400, TopicRole.REFUSED, "delete " + days400, TopicRole.NEEDS_REVIEW, "delete " + days400,
                TopicRole.REVIEWS_OVERDUE, "delete " + days400, TopicRole.REVIEWS, "delete " + days400));
        // Compacted: each key's last record kept (the broker's default retention.ms does not delete a key's last record).
        expected.put(TopicRole.TREATIES, "compact " + read.get(TopicRole.TREATIES).substring("compact ".length()));
        expected.put(TopicRole.KEYS, "compact " + read.get(TopicRole.KEYS).substring("compact ".length()));
        // The record of coverage changes is kept: who changed what, and why, for as long as the router runs.
        expected.put(TopicRole.TREATY_CHANGES, "delete -1");
        assertEquals(expected, read);
        System.out.println("RETENTION as the broker reports it: " + read);
    }

    @Test
    void shouldApplyACoverageChangeWithoutARestart() throws Exception {
        try (Cli.Background router = startRouter()) {
            cli.run(List.of("treaties", "load"), SHIPPED_TREATIES.toString()).ok();
            submit(vietnam("vn-before"));
            assertEquals("NEEDS_REVIEW", tail(1).get("vn-before").get("route").asText());

            final Path changed = workDir.resolve("treaties-vn-in-force.json");
            Files.writeString(changed, Files.readString(SHIPPED_TREATIES).replace("\"status\": \"SIGNED\",\n        \"signedOn\": \"2017-06-01\"",
                    "\"status\": \"IN_FORCE\",\n        \"signedOn\": \"2017-06-01\""));
            final Cli.Result loaded = cli.run(List.of("treaties", "load"), changed.toString()).ok();
            assertTrue(loaded.out.startsWith("Published 1 counterpart(s) to " + app.topic(TopicRole.TREATIES) + ": VN; unchanged: 11"), loaded.out);

            // The global table follows the treaty topic on a thread of its own: wait until a request sees revision 2.
            final int[] probes = {0};
            Await.until("a Vietnam request decided on coverage revision 2", Duration.ofSeconds(60), () -> {
                final String id = "vn-after-" + probes[0]++;
                submit(vietnam(id));
                final JsonNode decision = uncheckedTail(probes[0] + 1).get(id);
                return decision != null && decision.get("coverageRevision").asLong() == 2;
            });
            final JsonNode after = tail(probes[0] + 1).get("vn-after-" + (probes[0] - 1));
            assertEquals("ACCEPTED", after.get("route").asText());
            assertEquals("KZ-VN-MLA", after.get("legalBasis").asText());
        }
    }

    @Test
    void shouldDecideEveryRequestExactlyOnceAcrossAStopAndRestart() throws Exception {
        final int count = 3000;
        final List<String> lines = Files.readAllLines(SampleRequests.FILE);
        final List<Path> chunks = new ArrayList<>();
        for (int chunk = 0; chunk < 30; chunk++) {
            final StringBuilder text = new StringBuilder();
            for (int i = chunk * 100; i < (chunk + 1) * 100; i++) {
                text.append(lines.get(i % lines.size()).replaceFirst("\"requestId\": \"[^\"]+\"", "\"requestId\": \"bulk-" + i + "\"")).append('\n');
            }
            chunks.add(Files.writeString(workDir.resolve("chunk-" + chunk + ".jsonl"), text));
        }

        final Cli.Background first = startRouter();
        cli.run(List.of("treaties", "load"), SHIPPED_TREATIES.toString()).ok();
        // A third of the requests, then a stop after some are decided; the rest arrive while it is down and restarting.
        final java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.atomic.AtomicReference<Throwable> submitterFailure = new java.util.concurrent.atomic.AtomicReference<>();
        final Thread submitter = new Thread(() -> {
            try {
                for (int chunk = 0; chunk < 30; chunk++) {
                    if (chunk == 10) {
                        Await.until("the first router to stop", Duration.ofSeconds(120), () -> stopped.getCount() == 0);
                    }
                    cli.run(List.of("submit"), chunks.get(chunk).toString()).ok();
                }
            } catch (final Throwable e) {
                submitterFailure.set(e);
            }
        }, "submitter");
        submitter.start();
        Await.until("some decisions before the stop", Duration.ofSeconds(60), () -> decidedSoFar() >= 300);
        assertEquals(0, first.stop());
        stopped.countDown();
        final int beforeRestart = decidedSoFar();
        try (Cli.Background second = startRouter()) {
            submitter.join(Duration.ofSeconds(120).toMillis());
            assertEquals(null, submitterFailure.get(), "every chunk submitted");
            Await.until(count + " decisions", Duration.ofSeconds(120), () -> decidedSoFar() >= count);
        }
        // Read every decision there is, with no limit that could hide a duplicate: tail fails on one.
        final Map<String, JsonNode> decisions = tailAll();
        assertEquals(count, decisions.size(), "each request decided exactly once (tail fails on a duplicate)");
        assertEquals(count, app.committedByKey().values().stream().mapToInt(Integer::intValue).sum(), "nothing else on the output topics");
        assertTrue(beforeRestart < count, "the stop came mid-stream: " + beforeRestart + " decided before it");
    }

    @Test
    void shouldServeConfluentsPythonClientThroughTheEmbeddedRegistry() throws Exception {
        try (Cli.Background router = startRouter()) {
            cli.run(List.of("treaties", "load"), SHIPPED_TREATIES.toString()).ok();
            assertEquals("produced 18", AgencyPython.run("produce", KAFKA.bootstrapServers(), KAFKA.registryUrl(), "schemas",
                    app.topic(TopicRole.REQUESTS), SampleRequests.FILE.toString()).trim());
            final List<String> consumeArguments = new ArrayList<>(List.of("consume", KAFKA.bootstrapServers(), KAFKA.registryUrl(), "schemas", "18", "60"));
            TopicRole.decisions().forEach(role -> consumeArguments.add(app.topic(role)));
            final List<JsonNode> received = new ArrayList<>();
            for (final String line : AgencyPython.run(consumeArguments.toArray(String[]::new)).split("\n")) {
                received.add(MAPPER.readTree(line));
            }
            assertEquals(18, received.size());
            final Map<String, String> expected = SampleRequests.expectedRoutes();
            for (final JsonNode message : received) {
                final JsonNode decision = message.get("decision");
                assertEquals(decision.get("requestId").asText(), message.get("key").asText(), "decisions are keyed by requestId");
                assertEquals(expected.get(decision.get("requestId").asText()), decision.get("route").asText());
                assertEquals(app.topic(TopicRole.of(Route.valueOf(decision.get("route").asText()))), message.get("topic").asText(),
                        "each decision on the topic of its route");
                assertTrue(decision.get("request").get("offence").get("description").asText().startsWith("mla-enc:v1:"), "sealed: " + decision);
            }
            // A reader entitled to the personal data decrypts it with Debian's python3-cryptography and the key-encryption keys.
            final List<String> decryptArguments = new ArrayList<>(List.of("decrypt", KAFKA.bootstrapServers(), KAFKA.registryUrl(), "schemas",
                    app.topic(TopicRole.KEYS), org.mlarouter.testing.SigningKeys.kekFile(), "18", "60"));
            TopicRole.decisions().forEach(role -> decryptArguments.add(app.topic(role)));
            final Map<String, String> descriptions = new HashMap<>();
            for (final String line : AgencyPython.run(decryptArguments.toArray(String[]::new)).split("\n")) {
                final JsonNode decision = MAPPER.readTree(line);
                descriptions.put(decision.get("requestId").asText(), decision.get("request").get("offence").get("description").asText());
            }
            final Map<String, String> expectedDescriptions = new HashMap<>();
            for (final String line : Files.readAllLines(SampleRequests.FILE)) {
                final JsonNode request = MAPPER.readTree(line);
                expectedDescriptions.put(request.get("requestId").asText(), request.get("offence").get("description").asText());
            }
            assertEquals(expectedDescriptions, descriptions, "every description in clear, as the agency wrote it");
        }
    }

    @Test
    void shouldDecideRequestsWrittenFromPythonWithAReferenceBasedSchema() throws Exception {
        try (Cli.Background router = startRouter()) {
            cli.run(List.of("treaties", "load"), SHIPPED_TREATIES.toString()).ok();
            final String produced = AgencyPython.run("produce-with-references", KAFKA.bootstrapServers(), KAFKA.registryUrl(), "schemas",
                    app.topic(TopicRole.REQUESTS), SampleRequests.FILE.toString()).trim();
            assertTrue(produced.startsWith("produced 18 with schema id "), produced);
            final JsonNode registered = MAPPER.readTree(java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(KAFKA.registryUrl() + "/schemas/ids/" + produced.substring(produced.lastIndexOf(' ') + 1))).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body());
            assertEquals(3, registered.get("references").size(), "the schema the requests name has references: " + registered);
            assertEquals(18, tail(18).size(), "each decided, none dead-lettered");
            assertEquals(0, app.committedByTopic().get(app.topic(TopicRole.DEAD_LETTERS)));
        }
    }

    @Test
    void shouldGiveUpOnASchemaRegistryThatIsNotThereOrNotOneWithOneLine() throws Exception {
        final String nowhere = "http://127.0.0.1:" + org.mlarouter.net.Ports.free();
        final Cli.Result unreachable = cli.run(List.of("submit"), SampleRequests.FILE.toString(), "--schema-registry-url", nowhere,
                "-p", org.mlarouter.config.RouterConfig.TOOLS_TIMEOUT_CONFIG + "=2s");
        assertEquals(1, unreachable.exitCode);
        assertEquals("mla-router: The Schema Registry at " + nowhere + " could not be reached: connection refused: nothing listens there\n", unreachable.err);

        final com.sun.net.httpserver.HttpServer website = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        website.createContext("/", exchange -> {
            final byte[] page = "<html>a web site</html>".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        website.start();
        try {
            final String url = "http://127.0.0.1:" + website.getAddress().getPort();
            final Cli.Result notARegistry = cli.run(List.of("tail"), "--max-messages", "1", "--schema-registry-url", url);
            assertEquals(1, notARegistry.exitCode);
            assertEquals("mla-router: " + url + " answered HTTP 200 with what is not JSON: it is not a Schema Registry\n", notARegistry.err);
        } finally {
            website.stop(0);
        }
    }

    @Test
    void shouldBeReadableWithKcatAndKeepVersionTwosBehaviourInPlainMode() throws Exception {
        // Plain mode (issue 23, item 7): the personal data in the decisions as the agency sent it, no key written, and
        // still never in the router's log.
        app = app.with(Map.of(org.mlarouter.config.PersonalDataKeys.PERSONAL_DATA_PROTECTION_CONFIG, "plain"));
        cli = app.cli();
        try (Cli.Background router = startRouter()) {
            cli.run(List.of("treaties", "load"), SHIPPED_TREATIES.toString()).ok();
            cli.run(List.of("submit"), SampleRequests.FILE.toString()).ok();
            final JsonNode subject = tail(5, "accepted").get("KZ-PG-2026-0001").get("request").get("subjects").get(0);
            assertEquals("Arman Demo-Suspect", subject.get("fullName").asText(), "in clear in plain mode");
            assertEquals(13, tail(13, "refused", "needs_review").size());
            try (org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]> consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(
                    Map.of("bootstrap.servers", KAFKA.bootstrapServers()), new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                    new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
                final List<org.apache.kafka.common.TopicPartition> keys = org.mlarouter.clients.TopicReader.assign(consumer,
                        List.of(app.topic(TopicRole.KEYS)), true);
                assertTrue(consumer.endOffsets(keys).values().stream().allMatch(end -> end == 0), "no data key written");
            }
            for (final AssistanceRequest request : SampleRequests.parsed()) {
                assertFalse(router.out().contains(request.getSubjects().get(0).getFullName()) || router.err().contains(
                        request.getSubjects().get(0).getFullName()), "no name in the router's log");
            }
            final Process kcat = new ProcessBuilder("kcat", "-b", KAFKA.bootstrapServers(), "-C", "-t", app.topic(TopicRole.ACCEPTED),
                    "-o", "beginning", "-e", "-q", "-X", org.apache.kafka.clients.consumer.ConsumerConfig.ISOLATION_LEVEL_CONFIG + "=read_committed", "-s", "value=>bI", "-f", "%k %s\\n")
                    .redirectErrorStream(true).start();
            final List<String> lines = List.of(AgencyPython.outputOf(kcat).trim().split("\n"));
            assertEquals(5, lines.size(), String.join("\n", lines));
            final String registeredId = String.valueOf(registryIdOf(app.topic(TopicRole.ACCEPTED) + "-value"));
            for (final String line : lines) {
                // kcat's pack-string ">bI" prints the magic byte and the big-endian schema id, run together.
                assertTrue(line.matches("KZ-PG-2026-\\d{4} 0" + registeredId), "key, magic byte 0, schema id " + registeredId + ": " + line);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "streams"})
    void shouldResetSoTheInputIsDecidedAgainAndTheReviewsAppliedAgain(final String protocol) throws Exception {
        app = app.with(Map.of(StreamsConfig.GROUP_PROTOCOL_CONFIG, protocol));
        cli = app.cli();
        final Path stateDir = workDir.resolve("state");
        final String users = "-p" + org.mlarouter.config.HttpKeys.HTTP_USERS_FILE_CONFIG + "=" + org.mlarouter.testing.UsersFiles.write(workDir,
                "PG-REVIEWER-07:reviewer-secret:reviewer", "PG-SUPERVISOR-2:supervisor-secret:supervisor");
        final int firstPort = org.mlarouter.net.Ports.free();
        final Cli.Background router = app.startInJvm(stateDir, "--http-port", String.valueOf(firstPort), users);
        cli.run(List.of("treaties", "load"), SHIPPED_TREATIES.toString()).ok();
        cli.run(List.of("submit"), SampleRequests.FILE.toString()).ok();
        assertEquals(18, tail(18).size());
        final String accepted = SampleRequests.toReview().get(0);
        final String refused = SampleRequests.toReview().get(1);
        final Cli reviewer = new Cli(List.of(), Map.of("MLA_PASSWORD", "reviewer-secret"));
        final String[] asReviewer = {"--url", "http://127.0.0.1:" + firstPort, "--user", "PG-REVIEWER-07"};
        reviewer.run(List.of("review", "accept"), accepted, "--grounds", "Reciprocity confirmed", asReviewer[0], asReviewer[1], asReviewer[2],
                asReviewer[3]).ok();
        // A refusal is a proposal (four-eyes) and a second outcome, the confirmation: both are read again after the reset.
        reviewer.run(List.of("review", "refuse"), refused, "--grounds", "Contrary to national law", asReviewer[0], asReviewer[1], asReviewer[2],
                asReviewer[3]).ok();
        new Cli(List.of(), Map.of("MLA_PASSWORD", "supervisor-secret")).run(List.of("review", "confirm"), refused,
                "--url", "http://127.0.0.1:" + firstPort, "--user", "PG-SUPERVISOR-2").ok();
        Await.until("18 first decisions and 2 final ones", Duration.ofSeconds(60), () -> decidedSoFar() >= 20);

        final Cli.Result whileRunning = cli.run(List.of("reset"), "--state-dir", stateDir.toString());
        assertEquals(1, whileRunning.exitCode, whileRunning.out);
        assertTrue(whileRunning.err.contains("is still running") && whileRunning.err.lines().count() == 1, whileRunning.err);

        assertEquals(0, router.stop());
        final String applicationId = app.settings().applicationId();
        final Cli.Result reset = cli.run(List.of("reset"), "--state-dir", stateDir.toString()).ok();
        assertTrue(reset.out.contains("Reset " + applicationId + ": offsets on " + app.topic(TopicRole.REQUESTS) + ", "
                + app.topic(TopicRole.REVIEWS) + " and " + app.topic(TopicRole.KEYS) + " back to the beginning,"
                + " internal topics deleted [" + applicationId + "-" + RouterTopology.DEAD_LETTER_KEYS_STORE + "-changelog, "
                + applicationId + "-" + RouterTopology.AWAITING_REQUEST_STORE + "-changelog, "
                + applicationId + "-" + RouterTopology.PENDING_REVIEWS_STORE + "-changelog, "
                + applicationId + "-" + RouterTopology.REQUEST_STATUS_STORE + "-changelog, "
                + applicationId + "-" + RouterTopology.AWAITING_COVERAGE_STORE + "-changelog, "
                + applicationId + "-" + RouterTopology.REQUESTS_BY_ID + "-repartition, "
                + applicationId + "-" + RouterTopology.REVIEWS_BY_ID + "-repartition],"
                + " local state deleted (" + stateDir.resolve(applicationId) + ")"), reset.out);
        try (java.util.stream.Stream<Path> left = Files.list(stateDir.resolve(applicationId))) {
            assertFalse(left.anyMatch(Files::isDirectory), "no task's state is left");
        }

        final int port = org.mlarouter.net.Ports.free();
        try (Cli.Background again = app.startInJvm(stateDir, "--http-port", String.valueOf(port), users)) {
            Await.until("every request decided and every review applied a second time", Duration.ofSeconds(90), () -> decidedSoFar() >= 40);
            final String url = "http://127.0.0.1:" + port;
            for (final Map.Entry<String, String> reviewed : Map.of(accepted, "ACCEPTED", refused, "REFUSED").entrySet()) {
                final JsonNode status = MAPPER.readTree(reviewer.run(List.of("status"), reviewed.getKey(), "--url", url, "--json",
                        "--user", "PG-REVIEWER-07").ok().out);
                assertEquals(reviewed.getValue(), status.get("status").asText(), "the reviewed request keeps its final status: " + status);
                assertEquals("PG-REVIEWER-07", status.get("review").get("reviewer").asText(), status.toString());
            }
            assertEquals("PG-SUPERVISOR-2", MAPPER.readTree(reviewer.run(List.of("status"), refused, "--url", url, "--json", "--user", "PG-REVIEWER-07")
                    .ok().out).get("review").get("confirmedBy").asText(), "the confirmation applied again, after its proposal");
        }
        assertEquals(40, decidedSoFar(), "the input was processed again from the beginning, once");
        final String reviewDeadLetters = app.topic(TopicRole.REVIEW_DEAD_LETTERS);
        assertEquals(0, org.mlarouter.testing.OutputCounts.committedByTopic(app.settings(), List.of(reviewDeadLetters))
                .getOrDefault(reviewDeadLetters, 0), "no outcome dead-lettered");
    }

    /** Every committed decision, read until the topics have been idle for a few seconds; fails on a duplicate. */
    private Map<String, JsonNode> tailAll() throws IOException {
        final Map<String, JsonNode> decisions = new HashMap<>();
        for (final String line : cli.run(List.of("tail"), "--from-beginning", "--idle-timeout", "5").ok().outLines()) {
            final JsonNode decision = MAPPER.readTree(line);
            assertEquals(null, decisions.put(decision.get("requestId").asText(), decision), "decided twice: " + line);
        }
        return decisions;
    }

    private int decidedSoFar() {
        final Cli.Result result = cli.run(List.of("tail"), "--from-beginning", "--idle-timeout", "1");
        return result.outLines().size();
    }

    private Map<String, JsonNode> uncheckedTail(final int expected) {
        try {
            return tail(expected);
        } catch (final IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void submit(final AssistanceRequest request) {
        try {
            final Path file = workDir.resolve(request.getRequestId() + ".jsonl");
            Files.writeString(file, AvroJson.toJsonLine(request) + "\n");
            cli.run(List.of("submit"), file.toString()).ok();
        } catch (final IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static AssistanceRequest vietnam(final String requestId) {
        return org.mlarouter.testing.Requests.mla(requestId, "VN", org.mlarouter.avro.Measure.SERVICE_OF_DOCUMENTS).build();
    }

    private int registryIdOf(final String subject) throws Exception {
        final java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(KAFKA.registryUrl() + "/subjects/" + subject + "/versions/latest")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        return MAPPER.readTree(response.body()).get("id").asInt();
    }
}
