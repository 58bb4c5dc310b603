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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mlarouter.avro.AssistanceRequest;
import org.mlarouter.avro.ReviewOutcome;
import org.mlarouter.avro.Route;
import org.mlarouter.clients.TopicReader;
import org.mlarouter.config.TopicRole;
import org.mlarouter.json.AvroJson;
import org.mlarouter.net.Ports;
import org.mlarouter.testing.AgencyPython;
import org.mlarouter.testing.Await;
import org.mlarouter.testing.Cli;
import org.mlarouter.testing.KafkaStack;
import org.mlarouter.testing.Outcomes;
import org.mlarouter.testing.OutputCounts;
import org.mlarouter.testing.RouterUnderTest;
import org.mlarouter.testing.SampleRequests;
import org.mlarouter.topology.DeadLetterHeaders;

/**
 * The review loop and request status on a real broker, through the real command line: requests to review, the queue,
 * outcomes accepted and refused (from the command line and from Confluent's Python client), final decisions on their
 * topics, status from either of two instances, and every unusable outcome on the review dead-letter topic.
 */
class ReviewIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SHIPPED_TREATIES = Path.of("src/main/resources/treaties/kz-treaties.json");

    @RegisterExtension
    static final KafkaStack KAFKA = KafkaStack.plain();

    @TempDir
    Path workDir;
    private RouterUnderTest app;
    private Cli cli;
    /** The commands that ask the operator endpoint (status, review list) take its --url, not Kafka settings. */
    private final Cli operator = new Cli(List.of(), Map.of());

    @BeforeEach
    void useTopicsOfThisTest() throws InterruptedException {
        app = KAFKA.router("review", 3);
        cli = app.cli();
    }

    private List<JsonNode> decisionsOn(final TopicRole role, final int expected) throws IOException {
        final Cli.Result result = cli.run(List.of("tail"), "--from-beginning", "--route", role.route().orElseThrow().name(),
                "--max-messages", String.valueOf(expected), "--idle-timeout", "30").ok();
        final List<JsonNode> decisions = new ArrayList<>();
        for (final String line : result.outLines()) {
            decisions.add(JSON.readTree(line));
        }
        return decisions;
    }

    /** The users of a router with reviewers: a reviewer, two supervisors and a viewer. */
    private String[] withReviewers() {
        return new String[] {"-p", org.mlarouter.config.HttpKeys.HTTP_USERS_FILE_CONFIG + "=" + org.mlarouter.testing.UsersFiles.write(workDir,
                "PG-REVIEWER-07:reviewer-secret:reviewer", "PG-SUPERVISOR-1:supervisor-1-secret:supervisor",
                "PG-SUPERVISOR-2:supervisor-2-secret:supervisor", "PG-VIEWER:viewer-secret:viewer")};
    }

    /** The command line of one signed-in person, the password in MLA_PASSWORD as a person's shell would hold it. */
    private static Cli as(final String password) {
        return new Cli(List.of(), Map.of("MLA_PASSWORD", password));
    }

    @Test
    void shouldCarryRequestsThroughReviewToTheirFinalDecisionsAndTellWhereTheyStand() throws Exception {
        final int httpPort = Ports.free();
        final String url = "http://127.0.0.1:" + httpPort;
        final List<String> pending = SampleRequests.toReview();
        final List<String> arguments = new ArrayList<>(List.of("--http-port", String.valueOf(httpPort)));
        arguments.addAll(List.of(withReviewers()));
        final Cli reviewer = as("reviewer-secret");
        final Cli supervisor1 = as("supervisor-1-secret");
        // The second supervisor signs in once (mla-router login) and then works without a password.
        final Path supervisorConfig = workDir.resolve("supervisor-2-config");
        final Cli supervisor2Login = new Cli(List.of(), Map.of("MLA_PASSWORD", "supervisor-2-secret", "XDG_CONFIG_HOME", supervisorConfig.toString()));
        final Cli supervisor2 = new Cli(List.of(), Map.of("XDG_CONFIG_HOME", supervisorConfig.toString()));
        final String[] asReviewer = {"--url", url, "--user", "PG-REVIEWER-07"};
        try (Cli.Background router = app.startInJvm(workDir.resolve("state"), arguments.toArray(String[]::new))) {
            cli.run(List.of("treaties", "load"), SHIPPED_TREATIES.toString()).ok();
            cli.run(List.of("submit"), SampleRequests.FILE.toString()).ok();
            assertEquals(pending.size(), decisionsOn(TopicRole.NEEDS_REVIEW, pending.size()).size());

            final Cli.Result queue = reviewer.run(List.of("review", "list"), asReviewer).ok();
            assertTrue(queue.out.contains(pending.size() + " pending reviews"), queue.out);
            for (final String id : pending) {
                assertTrue(queue.out.contains(id), id + " in\n" + queue.out);
            }
            assertTrue(reviewer.run(List.of("review", "list"), "--url", url, "--user", "PG-REVIEWER-07", "--overdue").ok().out.contains("0 overdue reviews"));
            // Aligned: each column starts where its heading does; what a reviewer triages by is there.
            final List<String> lines = queue.out.lines().toList();
            final int deadlineColumn = lines.get(0).indexOf("deadline");
            for (final String line : lines.subList(1, pending.size() + 1)) {
                assertTrue(line.substring(deadlineColumn).matches("\\d{4}-\\d{2}-\\d{2} .*"), "the deadline's date under its heading:\n" + queue.out);
                assertTrue(line.contains("Office of the Prosecutor General") || line.contains("Parquet") || line.contains("Uzbekistan"), line);
            }
            final Cli.Result page = reviewer.run(List.of("review", "list"), "--url", url, "--user", "PG-REVIEWER-07", "--sort", "deadline",
                    "--desc", "--limit", "2", "--page", "2").ok();
            assertTrue(page.out.contains("2 of " + pending.size() + " pending reviews, page 2 of " + (pending.size() + 1) / 2), page.out);
            assertEquals(4, page.out.lines().count(), "a heading, two entries, the summary: " + page.out);
            final Cli.Result badSort = reviewer.run(List.of("review", "list"), "--url", url, "--user", "PG-REVIEWER-07", "--sort", "age");
            assertEquals(2, badSort.exitCode);
            assertEquals("mla-router: --sort age is not one of received, pending, deadline, counterpart, authority, kind, category, urgency, request",
                    badSort.err.strip());
            final Cli.Result anonymous = operator.run(List.of("review", "list"), "--url", url);
            assertEquals(1, anonymous.exitCode, "no queue without signing in: " + anonymous.out);

            final String acceptedId = pending.get(0);
            final String refusedId = pending.get(1);
            final Cli.Result accepted = reviewer.run(List.of("review", "accept"), acceptedId, "--grounds", "Reciprocity confirmed",
                    "--url", url, "--user", "PG-REVIEWER-07").ok();
            assertTrue(accepted.out.startsWith(acceptedId + ": ACCEPTED"), "the resulting status, once applied: " + accepted.out);

            // Four-eyes (the default, refusals): the reviewer's refusal is a proposal until another supervisor confirms it.
            final Cli.Result proposed = reviewer.run(List.of("review", "refuse"), refusedId, "--grounds", "Contrary to national law",
                    "--url", url, "--user", "PG-REVIEWER-07").ok();
            assertTrue(proposed.out.startsWith(refusedId + ": AWAITING_CONFIRMATION"), proposed.out);
            assertTrue(proposed.out.contains("proposal:     REFUSED by PG-REVIEWER-07"), proposed.out);
            final Cli.Result notAReviewersJob = reviewer.run(List.of("review", "confirm"), refusedId, "--url", url, "--user", "PG-REVIEWER-07");
            assertEquals(1, notAReviewersJob.exitCode, "a reviewer does not confirm: " + notAReviewersJob.out);
            final Cli.Result login = supervisor2Login.run(List.of("login"), "--url", url, "--user", "PG-SUPERVISOR-2").ok();
            assertTrue(login.out.startsWith("Signed in to " + url + " as PG-SUPERVISOR-2 (supervisor); the session ends at "), login.out);
            final Path kept = supervisorConfig.resolve("mla-router").resolve("sessions.json");
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(kept)));
            assertFalse(Files.readString(kept).contains("supervisor-2-secret"), "no password kept");
            final Cli.Result confirmed = supervisor2.run(List.of("review", "confirm"), refusedId, "--url", url).ok();
            assertTrue(confirmed.out.startsWith(refusedId + ": REFUSED"), confirmed.out);
            assertTrue(confirmed.out.contains("review:       REFUSED by PG-REVIEWER-07") && confirmed.out.contains("confirmed:    by PG-SUPERVISOR-2"),
                    confirmed.out);
            System.out.println("REFUSAL CONFIRMED by a second supervisor:\n" + confirmed.out);
            assertTrue(supervisor2.run(List.of("logout"), "--url", url).ok().out.startsWith("Signed out of " + url));
            final Cli.Result afterLogout = supervisor2.run(List.of("review", "list"), "--url", url);
            assertEquals(1, afterLogout.exitCode, "signed out: " + afterLogout.out);

            // A proposer cannot confirm their own proposal.
            final String ownId = pending.get(2);
            supervisor1.run(List.of("review", "refuse"), ownId, "--grounds", "No dual criminality", "--url", url, "--user", "PG-SUPERVISOR-1").ok();
            final Cli.Result own = supervisor1.run(List.of("review", "confirm"), ownId, "--url", url, "--user", "PG-SUPERVISOR-1");
            assertEquals(1, own.exitCode, own.out);
            assertEquals("mla-router: INVALID_OUTCOME: PG-SUPERVISOR-1 proposed this outcome and cannot confirm it: another supervisor must\n", own.err);

            // An outcome that cannot be applied exits 1 with the reason, and changes nothing.
            final Cli.Result unknown = reviewer.run(List.of("review", "accept"), "NO-SUCH-ID", "--grounds", "x", "--url", url, "--user", "PG-REVIEWER-07");
            assertEquals(1, unknown.exitCode);
            assertEquals("mla-router: UNKNOWN_REQUEST: No request NO-SUCH-ID was decided by this router\n", unknown.err);
            System.out.println("REVIEW ACCEPT of an unknown id: exit " + unknown.exitCode + ", " + unknown.err);
            final Cli.Result again = reviewer.run(List.of("review", "refuse"), acceptedId, "--grounds", "x", "--url", url, "--user", "PG-REVIEWER-07");
            assertEquals(1, again.exitCode);
            assertTrue(again.err.startsWith("mla-router: NOT_PENDING_REVIEW: Request " + acceptedId + " is ACCEPTED"), again.err);
            final Cli.Result otherCountry = reviewer.run(List.of("review", "accept"), pending.get(3), "--grounds", "x", "--legal-basis", "KZ-US-MLA",
                    "--url", url, "--user", "PG-REVIEWER-07");
            assertEquals(1, otherCountry.exitCode);
            assertTrue(otherCountry.err.startsWith("mla-router: INVALID_OUTCOME: LegalBasis KZ-US-MLA is not an instrument with"), otherCountry.err);

            final JsonNode acceptedFinal = decisionsOn(TopicRole.ACCEPTED, 6).stream()
                    .filter(decision -> decision.get("requestId").asText().equals(acceptedId)).findFirst().orElseThrow();
            assertEquals("PG-REVIEWER-07", acceptedFinal.get("review").get("reviewer").asText());
            final JsonNode refusedFinal = decisionsOn(TopicRole.REFUSED, 6).stream()
                    .filter(decision -> decision.get("requestId").asText().equals(refusedId)).findFirst().orElseThrow();
            assertEquals("REFUSED", refusedFinal.get("review").get("decision").asText());
            assertEquals("PG-SUPERVISOR-2", refusedFinal.get("review").get("confirmedBy").asText(), "both names on the final decision");

            final Cli.Result status = reviewer.run(List.of("status"), acceptedId, "--url", url, "--user", "PG-REVIEWER-07").ok();
            assertTrue(status.out.startsWith(acceptedId + ": ACCEPTED"), status.out);
            assertTrue(status.out.contains("review:       ACCEPTED by PG-REVIEWER-07"), status.out);
            assertTrue(status.out.contains("NEEDS_REVIEW (router)") && status.out.contains("ACCEPTED (reviewer PG-REVIEWER-07)"), status.out);
            System.out.println("STATUS of a reviewed request:\n" + status.out);
            final String json = as("viewer-secret").run(List.of("status"), refusedId, "--url", url, "--user", "PG-VIEWER", "--json").ok().out;
            assertFalse(json.contains("subjects") || json.contains("Demo-") || json.contains("description"), "no personal data: " + json);

            final Cli.Result unknownStatus = reviewer.run(List.of("status"), "no-such-request", "--url", url, "--user", "PG-REVIEWER-07");
            assertEquals(1, unknownStatus.exitCode);
            assertEquals("mla-router: No request no-such-request has been decided\n", unknownStatus.err);

            // Erasing a request's personal data: its subjects can no longer be read, its status remains.
            final String erasedId = pending.get(4);
            final java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            final java.util.function.Supplier<String> details = () -> {
                try {
                    return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url + "/console/api/details/" + erasedId + "?subjects=true"))
                            .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("PG-REVIEWER-07:reviewer-secret"
                                    .getBytes(StandardCharsets.UTF_8))).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
                } catch (final Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            Await.until("the request's data key read by the instance", Duration.ofSeconds(30), () -> details.get().contains("\"fullName\":\"")
                    && !details.get().contains("(not readable"));
            assertTrue(details.get().contains("Demo-"), "a reviewer reads the subjects of a pending request: " + details.get());
            // A retry of it: a dead letter (a duplicate) holding the same personal data, sealed under its own key.
            final AssistanceRequest retry = SampleRequests.parsed().stream().filter(request -> request.getRequestId().equals(erasedId)).findFirst().orElseThrow();
            try (KafkaProducer<String, AssistanceRequest> producer = app.clients().producer(AssistanceRequest.class)) {
                producer.send(new ProducerRecord<>(app.topic(TopicRole.REQUESTS), erasedId, retry)).get();
            }
            final String retryName = retry.getSubjects().get(0).getFullName();
            Await.until("the retry dead-lettered, and readable with its key", Duration.ofSeconds(30),
                    () -> openedDeadLetters().stream().anyMatch(opened -> opened.filter(bytes -> new String(bytes, StandardCharsets.ISO_8859_1)
                            .contains(retryName)).isPresent()));
            final Cli.Result notASupervisor = reviewer.run(List.of("erase"), erasedId, "--url", url, "--user", "PG-REVIEWER-07");
            assertEquals(1, notASupervisor.exitCode, "only a supervisor erases: " + notASupervisor.out);
            final Cli.Result erased = supervisor1.run(List.of("erase"), erasedId, "--url", url, "--user", "PG-SUPERVISOR-1").ok();
            assertTrue(erased.out.startsWith("Personal data of " + erasedId + " erased: no copy of it can be decrypted any more."), erased.out);
            assertTrue(erased.out.contains(erasedId + ": NEEDS_REVIEW"), "its status remains: " + erased.out);
            assertFalse(details.get().contains("Demo-"), "the subjects are no longer readable: " + details.get());
            assertTrue(details.get().contains("(not readable: erased"), details.get());
            // And whoever holds the key-encryption keys can no longer read it in the decision topics either.
            final String needsReview = cli.run(List.of("tail"), "--from-beginning", "--route", "needs_review", "--max-messages",
                    String.valueOf(pending.size()), "--idle-timeout", "30", "--decrypt").ok().out;
            final List<String> erasedLines = needsReview.lines().filter(line -> line.contains("\"requestId\": \"" + erasedId + "\"")
                    || line.contains("\"requestId\":\"" + erasedId + "\"")).toList();
            assertEquals(1, erasedLines.size(), needsReview);
            assertTrue(erasedLines.get(0).contains("(not readable: erased)") && !erasedLines.get(0).contains("Demo-"), erasedLines.get(0));
            assertTrue(needsReview.lines().filter(line -> !erasedLines.contains(line)).allMatch(line -> line.contains("Demo-")),
                    "the others still read: " + needsReview);
            System.out.println("ERASED request as a consumer with the key-encryption keys sees it: " + erasedLines.get(0));
            final List<java.util.Optional<byte[]>> deadLetters = openedDeadLetters();
            assertTrue(!deadLetters.isEmpty() && deadLetters.stream().allMatch(java.util.Optional::isEmpty),
                    "its duplicate's dead letter no longer opens either");

            final Cli.Result queueAfter = reviewer.run(List.of("review", "list"), asReviewer).ok();
            assertTrue(queueAfter.out.contains((pending.size() - 2) + " pending reviews"), "the one awaiting confirmation is still pending");
            assertTrue(queueAfter.out.lines().anyMatch(line -> line.startsWith(ownId)
                    && line.endsWith("[awaiting confirmation: REFUSED proposed by PG-SUPERVISOR-1]")), "what awaits whom: " + queueAfter.out);
        }
    }

    /** A GET of the operator endpoint as a user: its JSON, or null when the answer is not 200. */
    private static JsonNode get(final String url, final String user, final String password) {
        try {
            final java.net.http.HttpResponse<String> answer = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                    .newBuilder(java.net.URI.create(url)).header("Authorization", "Basic " + java.util.Base64.getEncoder()
                            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8))).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            return answer.statusCode() != 200 ? null : answer.body().startsWith("{") || answer.body().startsWith("[")
                    ? JSON.readTree(answer.body()) : JSON.getNodeFactory().textNode(answer.body());
        } catch (final IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Submits one request through the command line. */
    private void submitOne(final AssistanceRequest request) throws IOException {
        final Path file = workDir.resolve(request.getRequestId() + ".jsonl");
        Files.writeString(file, AvroJson.toJsonLine(request) + "\n");
        cli.run(List.of("submit"), file.toString()).ok();
    }

    /**
     * Coverage over time on a real broker, the router's clock moved by the test (docs/contract.md, "Coverage over time"
     * and "Coverage changes"): Viet Nam's treaty entering into force is proposed by one supervisor and applied only once
     * another approves it; a request decided before its day names the day; on the day, with nobody publishing, the
     * requests pending review are marked with the decision they would now get (status, queue, metric, never final) and a
     * new request is accepted; after a restart the marks are still there.
     */
    @Test
    void shouldApplyACoverageChangeOnceASecondSupervisorApprovesItAndMarkPendingRequestsOnTheDayTheTreatyEntersIntoForce() throws Exception {
        final int httpPort = Ports.free();
        final String url = "http://127.0.0.1:" + httpPort;
        final Path users = org.mlarouter.testing.UsersFiles.write(workDir, "PG-LEGAL-1:legal-secret:supervisor",
                "PG-SUPERVISOR-2:supervisor-2-secret:supervisor", "PG-REVIEWER-07:reviewer-secret:reviewer", "PG-OPS:ops-secret:operator",
                "router-peer:peer-secret:reviewer");
        final Path peerPassword = Files.writeString(workDir.resolve("peer-password"), "peer-secret\n");
        final org.mlarouter.config.RouterSettings settings = app.settings().with(Map.of(
                org.apache.kafka.streams.StreamsConfig.STATE_DIR_CONFIG, workDir.resolve("state").toString(),
                org.mlarouter.config.HttpKeys.HTTP_PORT_CONFIG, String.valueOf(httpPort),
                org.mlarouter.config.HttpKeys.HTTP_USERS_FILE_CONFIG, users.toString(),
                // Instances forward status questions to the one holding the request as this service user.
                org.mlarouter.config.HttpKeys.HTTP_PEER_USER_CONFIG, "router-peer",
                org.mlarouter.config.HttpKeys.HTTP_PEER_PASSWORD_FILE_CONFIG, peerPassword.toString(),
                org.mlarouter.config.ReviewKeys.TREATIES_FOUR_EYES_CONFIG, "true"));
        // Noon on 10 January 2027 in Almaty; the treaty enters into force on the 15th.
        final org.mlarouter.testing.MovableClock clock = new org.mlarouter.testing.MovableClock(java.time.Instant.parse("2027-01-10T07:00:00Z"));
        final java.time.Instant inForceDay = java.time.Instant.parse("2027-01-14T19:00:00Z"); // midnight of the 15th in Almaty
        final com.fasterxml.jackson.databind.node.ArrayNode entering = (com.fasterxml.jackson.databind.node.ArrayNode) JSON.readTree(SHIPPED_TREATIES.toFile());
        entering.forEach(coverage -> {
            if (coverage.path("counterpartState").asText().equals("VN")) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) coverage.path("instruments").get(0)).put("status", "IN_FORCE")
                        .put("inForceSince", "2027-01-15");
            }
        });
        final Path enteringTable = workDir.resolve("vn-in-force.json");
        Files.writeString(enteringTable, entering.toString());
        final java.util.function.Function<String, JsonNode> status = id -> get(url + "/requests/" + id, "PG-REVIEWER-07", "reviewer-secret");
        // The first table goes straight to Kafka, as at set-up; its author is recorded all the same.
        cli.run(List.of("treaties", "load"), SHIPPED_TREATIES.toString(), "--note", "The shipped table", "--author", "PG-LEGAL-1").ok();

        // Two instances share the three tasks; each decides again the pending requests of its own.
        final String otherUrl = "http://127.0.0.1:" + Ports.free();
        final org.mlarouter.config.RouterSettings other = settings.with(Map.of(
                org.apache.kafka.streams.StreamsConfig.STATE_DIR_CONFIG, workDir.resolve("state-b").toString(),
                org.mlarouter.config.HttpKeys.HTTP_PORT_CONFIG, otherUrl.substring(otherUrl.lastIndexOf(':') + 1)));
        try (org.mlarouter.runtime.RouterApplication router = org.mlarouter.runtime.RouterApplication.start(settings, clock);
             org.mlarouter.runtime.RouterApplication second = org.mlarouter.runtime.RouterApplication.start(other, clock)) {
            submitOne(org.mlarouter.testing.Requests.mla("KZ-VN-T-1", "VN", org.mlarouter.avro.Measure.SERVICE_OF_DOCUMENTS).build());
            final JsonNode first = Await.value("KZ-VN-T-1 decided", Duration.ofSeconds(60), () -> status.apply("KZ-VN-T-1"));
            assertEquals("NEEDS_REVIEW", first.path("status").asText());
            assertEquals("TREATY_NOT_IN_FORCE", first.at("/reasons/0/code").asText());
            assertTrue(first.get("coverageChanged").isNull(), first.toString());

            // One supervisor proposes the entry into force; the router applies nothing yet.
            final Cli legal = new Cli(app.options(), Map.of("MLA_PASSWORD", "legal-secret"));
            final Cli.Result proposed = legal.run(List.of("treaties", "load"), enteringTable.toString(), "-p",
                    org.mlarouter.config.ReviewKeys.TREATIES_FOUR_EYES_CONFIG + "=true", "--note", "Entry into force on 15 January 2027 announced",
                    "--url", url, "--user", "PG-LEGAL-1").ok();
            assertTrue(proposed.out.contains("Proposed 1 change(s) for a supervisor's approval: VN; unchanged: 11"), proposed.out);
            assertTrue(proposed.out.contains("KZ-VN-MLA: status SIGNED → IN_FORCE"), proposed.out);
            assertTrue(proposed.out.contains("KZ-VN-MLA: inForceSince – → 2027-01-15"), proposed.out);
            submitOne(org.mlarouter.testing.Requests.mla("KZ-VN-T-2", "VN", org.mlarouter.avro.Measure.SERVICE_OF_DOCUMENTS).build());
            final JsonNode beforeApproval = Await.value("KZ-VN-T-2 decided", Duration.ofSeconds(60), () -> status.apply("KZ-VN-T-2"));
            assertEquals(1, beforeApproval.path("coverageRevision").asLong(), "a proposal is not applied: " + beforeApproval);

            final Cli.Result own = as("legal-secret").run(List.of("treaties", "approve"), "VN", "--url", url, "--user", "PG-LEGAL-1");
            assertEquals(1, own.exitCode, own.out + own.err);
            assertTrue(own.err.contains("PG-LEGAL-1 proposed this change: a supervisor other than the proposer approves it"), own.err);
            final Cli.Result approved = as("supervisor-2-secret").run(List.of("treaties", "approve"), "VN", "--url", url, "--user", "PG-SUPERVISOR-2").ok();
            assertTrue(approved.out.contains("VN rev 2 APPROVED") && approved.out.contains("by PG-LEGAL-1, approved by PG-SUPERVISOR-2"), approved.out);
            final List<String> history = cli.run(List.of("treaties", "history"), "VN").ok().outLines().stream().filter(line -> line.startsWith("VN rev")).toList();
            assertEquals(3, history.size(), String.join("\n", history));
            assertTrue(history.get(0).matches("VN rev 1 APPLIED .* by PG-LEGAL-1: The shipped table"), history.get(0));
            assertTrue(history.get(1).matches("VN rev 2 PROPOSED .* by PG-LEGAL-1: Entry into force on 15 January 2027 announced"), history.get(1));
            assertTrue(history.get(2).matches("VN rev 2 APPROVED .* by PG-LEGAL-1, approved by PG-SUPERVISOR-2: Entry into force .*"), history.get(2));

            // Applied: a request decided on the 10th names the day; the pending ones would be decided alike (not marked).
            submitOne(org.mlarouter.testing.Requests.mla("KZ-VN-T-3", "VN", org.mlarouter.avro.Measure.SERVICE_OF_DOCUMENTS).build());
            final JsonNode third = Await.value("KZ-VN-T-3 decided", Duration.ofSeconds(60), () -> status.apply("KZ-VN-T-3"));
            assertEquals(2, third.path("coverageRevision").asLong());
            assertTrue(third.at("/reasons/0/detail").asText().contains("KZ-VN-MLA (IN_FORCE from 2027-01-15, not yet)"), third.toString());
            assertTrue(status.apply("KZ-VN-T-1").get("coverageChanged").isNull(), "the same decision on revision 2 before the day");

            // The 15th in Almaty: nobody publishes.
            clock.set(inForceDay);
            for (final String id : List.of("KZ-VN-T-1", "KZ-VN-T-2", "KZ-VN-T-3")) {
                final JsonNode marked = Await.value(id + " marked", Duration.ofSeconds(30), () -> {
                    final JsonNode answer = status.apply(id);
                    return answer != null && answer.get("coverageChanged").isObject() ? answer : null;
                });
                assertEquals("NEEDS_REVIEW", marked.path("status").asText(), "nothing final without a person");
                assertEquals("ACCEPTED", marked.at("/coverageChanged/route").asText());
                assertEquals("COVERED", marked.at("/coverageChanged/reasons/0/code").asText());
                assertEquals("KZ-VN-MLA", marked.at("/coverageChanged/legalBasis").asText());
                assertEquals(2, marked.at("/coverageChanged/coverageRevision").asLong());
                assertEquals(inForceDay.toString(), marked.at("/coverageChanged/since").asText());
            }
            final Cli.Result queue = as("reviewer-secret").run(List.of("review", "list"), "--url", url, "--user", "PG-REVIEWER-07", "--coverage-changed").ok();
            assertTrue(queue.out.contains("3 pending reviews"), queue.out);
            assertTrue(queue.out.lines().filter(line -> line.startsWith("KZ-VN-T-"))
                    .allMatch(line -> line.endsWith("[coverage changed since 2027-01-15: now ACCEPTED COVERED]")), queue.out);
            final java.util.function.ToDoubleFunction<String> changedOn = instance -> get(instance + "/metrics", "PG-OPS", "ops-secret").asText()
                    .lines().filter(line -> line.startsWith("mla_reviews_coverage_changed_total{counterpart=\"VN\"}"))
                    .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
            assertEquals(3.0, changedOn.applyAsDouble(url) + changedOn.applyAsDouble(otherUrl), "each marked request counted once, by the instance"
                    + " holding it");
            submitOne(org.mlarouter.testing.Requests.mla("KZ-VN-T-4", "VN", org.mlarouter.avro.Measure.SERVICE_OF_DOCUMENTS).build());
            final JsonNode fourth = Await.value("KZ-VN-T-4 decided", Duration.ofSeconds(60), () -> status.apply("KZ-VN-T-4"));
            assertEquals("ACCEPTED", fourth.path("status").asText(), "decided on the day's coverage: " + fourth);
            final String acceptedTopic = app.settings().router().topic(TopicRole.ACCEPTED);
            Await.until("KZ-VN-T-4's decision committed", Duration.ofSeconds(30), () -> app.committedByTopic().get(acceptedTopic) == 1);
            final Map<String, Integer> written = app.committedByTopic();
            assertEquals(3, written.get(app.settings().router().topic(TopicRole.NEEDS_REVIEW)), "no decision written for a request decided again: " + written);
            assertEquals(1, written.get(acceptedTopic), "only the new request's: " + written);
        }
        // One instance restarted alone: it holds every task now, the other's restored from the changelog, marks and all.
        try (org.mlarouter.runtime.RouterApplication router = org.mlarouter.runtime.RouterApplication.start(settings, clock)) {
            for (final String id : List.of("KZ-VN-T-1", "KZ-VN-T-2", "KZ-VN-T-3")) {
                final JsonNode kept = Await.value(id + " answered again", Duration.ofSeconds(60), () -> status.apply(id));
                assertEquals("ACCEPTED", kept.at("/coverageChanged/route").asText(), kept.toString());
            }
        }
        // A removal straight to Kafka is recorded too; with four-eyes on it is refused, as nobody would approve it.
        final Cli.Result refusedRemoval = cli.run(List.of("treaties", "remove"), "CU", "-p", org.mlarouter.config.ReviewKeys.TREATIES_FOUR_EYES_CONFIG + "=true");
        assertEquals(2, refusedRemoval.exitCode, refusedRemoval.out + refusedRemoval.err);
        cli.run(List.of("treaties", "remove"), "CU", "--note", "Negotiations abandoned", "--author", "PG-LEGAL-1").ok();
        final List<String> cuba = cli.run(List.of("treaties", "history"), "CU").ok().outLines();
        assertTrue(cuba.get(cuba.size() - 2).matches(" *removed, with 1 instrument\\(s\\)"), String.join("\n", cuba));
        assertTrue(cuba.get(cuba.size() - 3).matches("CU rev 1 REMOVED .* by PG-LEGAL-1: Negotiations abandoned"), String.join("\n", cuba));
    }

    /** An agency's POST /api/requests: the answer, the status and the body. */
    private static java.net.http.HttpResponse<String> post(final String url, final String user, final String password, final String body) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldTakeAnAgencysRequestOverTheApiOnceAndShowItItsOwnRequestsOnly() throws Exception {
        final int httpPort = Ports.free();
        final String url = "http://127.0.0.1:" + httpPort;
        final String users = org.mlarouter.config.HttpKeys.HTTP_USERS_FILE_CONFIG + "=" + org.mlarouter.testing.UsersFiles.write(workDir,
                "PG-AGENCY:agency-secret:agency:Office of the Prosecutor General", "PARIS:paris-secret:agency:Parquet de Paris",
                "PG-REVIEWER-07:reviewer-secret:reviewer");
        final List<String> samples = Files.readAllLines(SampleRequests.FILE);
        final String first = samples.get(0);
        final String pendingId = SampleRequests.toReview().get(0);
        final String toReview = samples.stream().filter(line -> line.contains("\"requestId\": \"" + pendingId + "\"")).findFirst().orElseThrow();
        try (Cli.Background router = app.startInJvm(workDir.resolve("state"), "--http-port", String.valueOf(httpPort), "-p", users)) {
            cli.run(List.of("treaties", "load"), SHIPPED_TREATIES.toString()).ok();
            Await.until("the router to answer", Duration.ofSeconds(60),
                    () -> as("reviewer-secret").run(List.of("status"), "none", "--url", url, "--user", "PG-REVIEWER-07").err.contains("No request none"));

            final java.net.http.HttpResponse<String> received = post(url + "/api/requests", "PG-AGENCY", "agency-secret", first);
            assertEquals(202, received.statusCode(), received.body());
            assertEquals("{\"requestId\":\"KZ-PG-2026-0001\",\"status\":\"RECEIVED\",\"statusUrl\":\"/requests/KZ-PG-2026-0001\"}", received.body().strip());
            final java.net.http.HttpResponse<String> again = post(url + "/api/requests", "PG-AGENCY", "agency-secret", first);
            assertEquals(202, again.statusCode(), "a retry of the same body answers the same: " + again.body());

            final java.net.http.HttpResponse<String> waited = post(url + "/api/requests?wait=20s", "PG-AGENCY", "agency-secret", toReview);
            assertEquals(200, waited.statusCode(), waited.body());
            assertEquals("NEEDS_REVIEW", JSON.readTree(waited.body()).path("status").asText(), "the first decision, waited for: " + waited.body());

            Await.until("the first request decided", Duration.ofSeconds(60), () -> app.committedByKey().containsKey("KZ-PG-2026-0001"));
            final java.net.http.HttpResponse<String> otherBody = post(url + "/api/requests", "PG-AGENCY", "agency-secret",
                    first.replace("\"SEARCH\", \"SEIZURE\"", "\"SEARCH\""));
            assertEquals(409, otherBody.statusCode(), otherBody.body());
            assertEquals("DUPLICATE_REQUEST_ID", JSON.readTree(otherBody.body()).path("reason").asText());

            final java.net.http.HttpResponse<String> noCountry = post(url + "/api/requests", "PG-AGENCY", "agency-secret",
                    first.replace("KZ-PG-2026-0001", "API-ZZ").replace("\"requestedState\": \"FR\"", "\"requestedState\": \"ZZ\""));
            assertEquals(400, noCountry.statusCode());
            assertEquals("requestedState", JSON.readTree(noCountry.body()).path("field").asText(), noCountry.body());
            final java.net.http.HttpResponse<String> badKind = post(url + "/api/requests", "PG-AGENCY", "agency-secret",
                    first.replace("KZ-PG-2026-0001", "API-KIND").replace("\"MUTUAL_LEGAL_ASSISTANCE\"", "\"HELP\""));
            assertEquals(400, badKind.statusCode());
            assertEquals("kind", JSON.readTree(badKind.body()).path("field").asText(), badKind.body());
            assertEquals(400, post(url + "/api/requests?wait=90s", "PG-AGENCY", "agency-secret", first).statusCode(), "wait is at most 30 s");
            assertEquals(403, post(url + "/api/requests", "PARIS", "paris-secret", first.replace("KZ-PG-2026-0001", "API-PARIS")).statusCode(),
                    "an agency submits its own authority's requests");
            assertEquals(403, post(url + "/api/requests", "PG-REVIEWER-07", "reviewer-secret", first.replace("KZ-PG-2026-0001", "API-R")).statusCode(),
                    "only agencies submit");

            // The integrators' guide's Python example (python3-requests, no Kafka client): a decided answer, a refusal of a bad code.
            final Path viaPython = Files.writeString(workDir.resolve("python.jsonl"), String.join("\n",
                    samples.get(1).replace("KZ-PG-2026-0002", "PY-0002"), first.replace("KZ-PG-2026-0001", "PY-ZZ").replace("\"requestedState\": \"FR\"",
                            "\"requestedState\": \"ZZ\"")) + "\n");
            final ProcessBuilder python = new ProcessBuilder("/usr/bin/python3", "src/test/python/agency_https.py", url, "PG-AGENCY", viaPython.toString());
            python.environment().put("MLA_PASSWORD", "agency-secret");
            final List<String> answered = org.mlarouter.testing.AgencyPython.outputOf(python.start()).lines().toList();
            assertEquals(2, answered.size(), String.join("\n", answered));
            assertTrue(answered.get(0).matches("PY-0002 200 (ACCEPTED|REFUSED|NEEDS_REVIEW) [A-Z_,]+"), answered.get(0));
            assertTrue(answered.get(1).startsWith("PY-ZZ 400 requestedState requestedState ZZ is not an ISO 3166-1 alpha-2 code"), answered.get(1));

            // Each agency sees its own authority's requests; another's is unknown to it.
            final Cli agency = as("agency-secret");
            assertTrue(agency.run(List.of("status"), "KZ-PG-2026-0001", "--url", url, "--user", "PG-AGENCY").ok().out.contains("KZ-PG-2026-0001"));
            final Cli.Result paris = as("paris-secret").run(List.of("status"), "KZ-PG-2026-0001", "--url", url, "--user", "PARIS");
            assertEquals(1, paris.exitCode, paris.out);
            assertTrue(paris.err.contains("No request KZ-PG-2026-0001"), paris.err);

            // Written once each: no duplicate reached the router, nothing was dead-lettered.
            assertEquals(0, app.committedByTopic().getOrDefault(app.topic(TopicRole.DEAD_LETTERS), 0), "no dead letter");
            assertEquals(3, app.committedByKey().size(), "three requests, one decision each: " + app.committedByKey());

            // The same request through Kafka once more: submit --wait says it was dead-lettered as a duplicate, and exits 1.
            final Path resent = Files.writeString(workDir.resolve("again.jsonl"), first + "\n");
            final Cli.Result duplicate = cli.run(List.of("submit"), resent.toString(), "--wait", "--wait-timeout", "60");
            assertEquals(1, duplicate.exitCode, duplicate.out + duplicate.err);
            assertTrue(duplicate.out.matches("(?s).*KZ-PG-2026-0001\\s+dead letter\\s+DUPLICATE_REQUEST_ID.*"), duplicate.out);
            assertTrue(duplicate.out.contains("0 accepted, 0 refused, 0 needs review; 1 dead-lettered"), duplicate.out);
        }
    }

    @Test
    void shouldDeadLetterAnOutcomeThatConfluentsPythonClientForgedAndKeepTheRequestPending() throws Exception {
        final List<String> pending = SampleRequests.toReview();
        final int httpPort = Ports.free();
        try (Cli.Background router = app.startInJvm(workDir.resolve("state"), "--http-port", String.valueOf(httpPort))) {
            cli.run(List.of("treaties", "load"), SHIPPED_TREATIES.toString()).ok();
            cli.run(List.of("submit"), SampleRequests.FILE.toString()).ok();
            decisionsOn(TopicRole.NEEDS_REVIEW, pending.size());
            // Whoever can write the review topic can write a well-formed outcome naming any reviewer; without the router's
            // signature it changes nothing.
            final List<String> forged = pending.subList(0, 4);
            for (final String id : forged) {
                assertEquals("reviewed " + id, AgencyPython.run("review", KAFKA.bootstrapServers(), KAFKA.registryUrl(), "schemas",
                        app.topic(TopicRole.REVIEWS), id, "ACCEPTED", "PG-REVIEWER-11", "Grounds from Python").trim());
            }
            final Map<String, String> actual = new HashMap<>();
            Await.until("4 review dead letters", Duration.ofSeconds(60), () -> reviewDeadLetters(actual) >= 4);
            final Map<String, String> expected = new HashMap<>();
            forged.forEach(id -> expected.put(id, "UNSIGNED_OUTCOME"));
            assertEquals(expected, actual);
            System.out.println("FORGED OUTCOMES from Confluent's Python client, dead-lettered: " + actual);
            for (final String id : forged) {
                final String status = operator.run(List.of("status"), id, "--url", "http://127.0.0.1:" + httpPort, "--json").ok().out;
                assertTrue(status.contains("\"status\":\"NEEDS_REVIEW\"") && status.contains("\"review\":null"), "still pending: " + status);
            }
            assertEquals(5, app.committedByTopic().get(app.topic(TopicRole.ACCEPTED)), "no final decision: only the five first ones");
        }
    }

    @Test
    void shouldAnswerForEveryRequestFromEitherOfTwoInstances() throws Exception {
        final int firstPort = Ports.free();
        final int secondPort = Ports.free();
        try (Cli.Background first = app.startInJvm(workDir.resolve("state-a"), "--http-port", String.valueOf(firstPort));
             Cli.Background second = app.startInJvm(workDir.resolve("state-b"), "--http-port", String.valueOf(secondPort))) {
            cli.run(List.of("treaties", "load"), SHIPPED_TREATIES.toString()).ok();
            cli.run(List.of("submit"), SampleRequests.FILE.toString()).ok();
            final List<String> ids = new ArrayList<>();
            for (final String line : Files.readAllLines(SampleRequests.FILE)) {
                ids.add(AvroJson.parse(line, AssistanceRequest.class).getRequestId());
            }
            Await.until("all 18 decided", Duration.ofSeconds(60), () -> app.committedByKey().size() >= ids.size());
            for (final String id : ids) {
                final Map<Integer, String> answers = new LinkedHashMap<>();
                for (final int port : new int[] {firstPort, secondPort}) {
                    Await.until("instance " + port + " to answer for " + id, Duration.ofSeconds(30),
                            () -> operator.run(List.of("status"), id, "--url", "http://127.0.0.1:" + port, "--json").exitCode == 0);
                    answers.put(port, operator.run(List.of("status"), id, "--url", "http://127.0.0.1:" + port, "--json").ok().out);
                }
                assertEquals(answers.get(firstPort), answers.get(secondPort), "both instances give the same answer for " + id);
            }
            final Cli.Result queue = operator.run(List.of("review", "list"), "--url", "http://127.0.0.1:" + firstPort).ok();
            assertTrue(queue.out.contains(SampleRequests.toReview().size() + " pending reviews"), "the queue of both instances: " + queue.out);
            final Cli.Result paged = operator.run(List.of("review", "list"), "--url", "http://127.0.0.1:" + secondPort, "--limit", "3", "--sort", "counterpart").ok();
            assertTrue(paged.out.contains("3 of " + SampleRequests.toReview().size() + " pending reviews, page 1 of"),
                    "both instances' entries, ordered and paged by the one asked: " + paged.out);
            // The statistics come from the decision topics, not an instance's own counters: both give all 18 requests.
            final Map<Integer, String> statistics = new LinkedHashMap<>();
            for (final int port : new int[] {firstPort, secondPort}) {
                Await.until("instance " + port + "'s statistics to count the 18 requests", Duration.ofSeconds(60), () -> {
                    try {
                        final String csv = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                                "http://127.0.0.1:" + port + "/console/api/statistics.csv?table=requests")).build(),
                                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
                        statistics.put(port, csv);
                        return csv.lines().skip(1).mapToLong(line -> Long.parseLong(line.substring(line.lastIndexOf(',') + 1))).sum() == ids.size();
                    } catch (final java.io.IOException | RuntimeException e) {
                        return false;
                    } catch (final InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                });
            }
            assertEquals(statistics.get(firstPort), statistics.get(secondPort), "the same statistics from either instance");
        }
    }

    @Test
    void shouldAnswerOverTlsWithAuthenticationFromEitherInstance() throws Exception {
        final org.mlarouter.testing.TlsFiles tls = org.mlarouter.testing.TlsFiles.create(workDir, "endpoint-secret");
        // The instances forward queries to one another as a service user of their own, not as a person.
        final java.nio.file.Path peerPassword = java.nio.file.Files.writeString(workDir.resolve("peer-password"), "peer-secret\n");
        final String[] secured = {"-p", org.mlarouter.config.HttpKeys.HTTP_USERS_FILE_CONFIG + "="
                + org.mlarouter.testing.UsersFiles.write(workDir, "ops:ops-secret:reviewer", "router-peer:peer-secret:reviewer"),
            "-p", org.mlarouter.config.HttpKeys.HTTP_PEER_USER_CONFIG + "=router-peer",
            "-p", org.mlarouter.config.HttpKeys.HTTP_PEER_PASSWORD_FILE_CONFIG + "=" + peerPassword,
            "-p", org.mlarouter.config.HttpKeys.HTTP_TLS_KEYSTORE_CONFIG + "=" + tls.keyStore,
            "-p", org.mlarouter.config.HttpKeys.HTTP_TLS_KEYSTORE_PASSWORD_CONFIG + "=" + tls.password};
        final int firstPort = Ports.free();
        final int secondPort = Ports.free();
        final List<String> first = new ArrayList<>(List.of("--http-port", String.valueOf(firstPort)));
        first.addAll(List.of(secured));
        final List<String> second = new ArrayList<>(List.of("--http-port", String.valueOf(secondPort)));
        second.addAll(List.of(secured));
        try (Cli.Background a = app.startInJvm(workDir.resolve("state-a"), first.toArray(String[]::new));
             Cli.Background b = app.startInJvm(workDir.resolve("state-b"), second.toArray(String[]::new))) {
            cli.run(List.of("treaties", "load"), SHIPPED_TREATIES.toString()).ok();
            cli.run(List.of("submit"), SampleRequests.FILE.toString()).ok();
            Await.until("all 18 decided", Duration.ofSeconds(60), () -> app.committedByKey().size() >= 18);
            final java.net.http.HttpClient https = java.net.http.HttpClient.newBuilder()
                    .sslContext(trusting(tls.trustStore, tls.password)).build();
            final String authorization = "Basic " + java.util.Base64.getEncoder().encodeToString("ops:ops-secret".getBytes(StandardCharsets.UTF_8));
            for (final String line : Files.readAllLines(SampleRequests.FILE)) {
                final String id = AvroJson.parse(line, AssistanceRequest.class).getRequestId();
                final List<String> answers = new ArrayList<>();
                for (final int port : new int[] {firstPort, secondPort}) {
                    final java.net.URI uri = java.net.URI.create("https://127.0.0.1:" + port + "/requests/" + id);
                    assertEquals(401, https.send(java.net.http.HttpRequest.newBuilder(uri).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode(), "credentials needed");
                    Await.until("instance " + port + " to answer for " + id, Duration.ofSeconds(30), () -> {
                        try {
                            return https.send(java.net.http.HttpRequest.newBuilder(uri).header("Authorization", authorization).build(),
                                    java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
                        } catch (final Exception e) {
                            return false;
                        }
                    });
                    answers.add(https.send(java.net.http.HttpRequest.newBuilder(uri).header("Authorization", authorization).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString()).body());
                }
                assertEquals(answers.get(0), answers.get(1), "both instances give the same answer for " + id + " over TLS");
            }
        }
    }

    private static javax.net.ssl.SSLContext trusting(final Path trustStore, final String password) throws Exception {
        final java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
        try (java.io.InputStream in = Files.newInputStream(trustStore)) {
            store.load(in, password.toCharArray());
        }
        final javax.net.ssl.TrustManagerFactory trust = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        final javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    @Test
    void shouldDeadLetterEveryOutcomeThatCannotBeApplied() throws Exception {
        final List<String> pending = SampleRequests.toReview();
        // An outcome for an unknown request waits for it: two seconds here, not the default minute.
        try (Cli.Background router = app.startInJvm(workDir.resolve("state"), "--http-port", "-1",
                "-p", org.mlarouter.config.ReviewKeys.REVIEW_AWAIT_REQUEST_CONFIG + "=2s")) {
            cli.run(List.of("treaties", "load"), SHIPPED_TREATIES.toString()).ok();
            cli.run(List.of("submit"), SampleRequests.FILE.toString()).ok();
            decisionsOn(TopicRole.NEEDS_REVIEW, pending.size());
            final String topic = app.topic(TopicRole.REVIEWS);
            final String id = pending.get(0);
            final Map<String, String> expected = new LinkedHashMap<>();
            try (KafkaProducer<String, ReviewOutcome> producer = app.clients().outcomeProducer()) {
                // Signed with the router's key, as the router writes them: each is judged on what it says.
                send(producer, topic, Outcomes.of("never-submitted", Route.ACCEPTED).build());
                expected.put("never-submitted", "UNKNOWN_REQUEST");
                send(producer, topic, Outcomes.of(id, Route.NEEDS_REVIEW).build());
                send(producer, topic, Outcomes.of(id, Route.ACCEPTED).setReviewer(" ").build());
                send(producer, topic, Outcomes.of(id, Route.ACCEPTED).setLegalBasis("KZ-NO-SUCH-TREATY").build());
                send(producer, topic, Outcomes.of(id, Route.ACCEPTED).build());
                send(producer, topic, Outcomes.of(id, Route.REFUSED).build());
                expected.put(id, "INVALID_OUTCOME,INVALID_OUTCOME,INVALID_OUTCOME,NOT_PENDING_REVIEW");
            }
            try (KafkaProducer<String, ReviewOutcome> unsigned = app.clients().producer(ReviewOutcome.class)) {
                send(unsigned, topic, Outcomes.of(pending.get(1), Route.ACCEPTED).build());
                expected.put(pending.get(1), "UNSIGNED_OUTCOME");
            }
            try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(app.settings().producerProperties(), new StringSerializer(),
                    new ByteArraySerializer())) {
                raw.send(new ProducerRecord<>(topic, "garbage", "not avro".getBytes(StandardCharsets.UTF_8))).get();
                raw.send(new ProducerRecord<>(topic, "null-value", null)).get();
                expected.put("garbage", "NOT_CONFLUENT_FRAMING");
                expected.put("null-value", "NULL_VALUE");
            }
            final Map<String, String> actual = new HashMap<>();
            Await.until("8 review dead letters", Duration.ofSeconds(60), () -> reviewDeadLetters(actual) >= 8);
            assertEquals(expected, actual);
            assertEquals(0, app.committedByTopic().get(app.topic(TopicRole.DEAD_LETTERS)), "no request dead letter");
            assertEquals(6, decisionsOn(TopicRole.ACCEPTED, 6).size(), "one final decision: five first ones and the accepted review");
        }
    }

    @Test
    void shouldCatchEveryDuplicateWhoeverProducedIt() throws Exception {
        try (Cli.Background router = app.startInJvm(workDir.resolve("state"), "--http-port", "-1")) {
            cli.run(List.of("treaties", "load"), SHIPPED_TREATIES.toString()).ok();
            cli.run(List.of("submit"), SampleRequests.FILE.toString()).ok();
            final String requests = app.topic(TopicRole.REQUESTS);
            assertEquals("produced 18", AgencyPython.run("produce", KAFKA.bootstrapServers(), KAFKA.registryUrl(), "schemas", requests,
                    SampleRequests.FILE.toString()).trim(), "Python, no key");
            assertEquals("produced 18", AgencyPython.run("produce-keyed", KAFKA.bootstrapServers(), KAFKA.registryUrl(), "schemas", requests,
                    SampleRequests.FILE.toString()).trim(), "Python, keyed, librdkafka's partitioner");
            try (KafkaProducer<String, AssistanceRequest> producer = app.clients().producer(AssistanceRequest.class)) {
                for (final String line : Files.readAllLines(SampleRequests.FILE)) {
                    final AssistanceRequest request = AvroJson.parse(line, AssistanceRequest.class);
                    producer.send(new ProducerRecord<>(requests, "another-key-" + request.getRequestId(), request)).get();
                }
            }
            Await.until("18 decisions and 54 dead letters", Duration.ofSeconds(90),
                    () -> app.committedByTopic().values().stream().mapToInt(Integer::intValue).sum() >= 18 + 54);
            final Map<String, Integer> byTopic = app.committedByTopic();
            assertEquals(54, byTopic.get(app.topic(TopicRole.DEAD_LETTERS)), "every copy after the first is a duplicate");
            assertEquals(18, byTopic.values().stream().mapToInt(Integer::intValue).sum() - 54, "each request decided once");
            final Map<String, Integer> reasons = new HashMap<>();
            try (KafkaConsumer<byte[], byte[]> consumer = OutputCounts.rawConsumer(app.settings())) {
                final List<TopicPartition> partitions = TopicReader.assign(consumer, List.of(app.topic(TopicRole.DEAD_LETTERS)), true);
                TopicReader.readToEnd(consumer, partitions, Duration.ofSeconds(30),
                        record -> reasons.merge(DeadLetterHeaders.text(record.headers(), DeadLetterHeaders.REASON), 1, Integer::sum));
            }
            assertEquals(Map.of("DUPLICATE_REQUEST_ID", 54), reasons);
        }
    }

    private static void send(final KafkaProducer<String, ReviewOutcome> producer, final String topic, final ReviewOutcome outcome) throws Exception {
        producer.send(new ProducerRecord<>(topic, outcome.getRequestId(), outcome)).get();
    }

    /** The reasons of the review dead letters, by key, in offset order; returns how many there are. */
    private int reviewDeadLetters(final Map<String, String> reasonsByKey) {
        reasonsByKey.clear();
        final int[] count = {0};
        try (KafkaConsumer<byte[], byte[]> consumer = OutputCounts.rawConsumer(app.settings())) {
            final List<TopicPartition> partitions = TopicReader.assign(consumer, List.of(app.topic(TopicRole.REVIEW_DEAD_LETTERS)), true);
            TopicReader.readToEnd(consumer, partitions, Duration.ofSeconds(30), record -> {
                count[0]++;
                reasonsByKey.merge(new String(record.key(), StandardCharsets.UTF_8), DeadLetterHeaders.text(record.headers(), DeadLetterHeaders.REASON),
                        (first, next) -> first + "," + next);
            });
        }
        return count[0];
    }

    /** Each record of the request dead-letter topic, opened with its key as whoever holds the key-encryption keys would (empty: not readable). */
    private List<java.util.Optional<byte[]>> openedDeadLetters() {
        final List<java.util.Optional<byte[]>> opened = new ArrayList<>();
        try (org.mlarouter.clients.DataKeyReader keys = new org.mlarouter.clients.DataKeyReader(app.settings(), org.mlarouter.testing.SigningKeys.keyEncryptionKeys());
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", KAFKA.bootstrapServers(),
                     "isolation.level", "read_committed"), new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                     new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            TopicReader.readToEnd(consumer, TopicReader.assign(consumer, List.of(app.topic(TopicRole.DEAD_LETTERS)), true), Duration.ofSeconds(30),
                    record -> opened.add(keys.deadLetterValue(record.headers(), record.value())));
        }
        return opened;
    }
}
