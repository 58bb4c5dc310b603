package org.mlarouter.topology;

import org.mlarouter.config.TopicRole;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlarouter.avro.AssistanceRequest;
import org.mlarouter.avro.Measure;
import org.mlarouter.avro.ReasonCode;
import org.mlarouter.avro.ReviewOutcome;
import org.mlarouter.avro.Route;
import org.mlarouter.avro.OutcomeKind;
import org.mlarouter.avro.RoutingDecision;
import org.mlarouter.avro.TreatyCoverage;
import org.mlarouter.avro.Urgency;
import org.mlarouter.config.ReviewKeys;
import org.mlarouter.config.PersonalDataKeys;
import org.mlarouter.config.RouterConfig;
import org.mlarouter.privacy.OutcomeSignature;
import org.mlarouter.testing.SigningKeys;
import org.mlarouter.serde.MockSchemaRegistry;
import org.mlarouter.testing.Outcomes;
import org.mlarouter.testing.Requests;
import org.mlarouter.treaty.TreatyTable;

/**
 * The review loop and the request-status store (docs/contract.md, version 2) on the real topology: every cycle to its
 * final decision, every unusable outcome to the review dead-letter topic, overdue reviews written once, statuses
 * forgotten after their retention, and every copy of an id meeting in one place whatever its key.
 */
class ReviewLoopTest {

    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path stateDir;

    private final String scope = "review-test-" + UUID.randomUUID();
    private TopologyTestDriver driver;
    private RouterTopics topics;
    private TestInputTopic<String, AssistanceRequest> requests;
    private TestInputTopic<String, ReviewOutcome> reviews;
    private TestInputTopic<String, byte[]> rawReviews;
    private TestOutputTopic<String, RoutingDecision> accepted;
    private TestOutputTopic<String, RoutingDecision> refused;
    private TestOutputTopic<String, RoutingDecision> needsReview;
    private TestOutputTopic<String, RoutingDecision> overdue;
    private TestOutputTopic<byte[], byte[]> deadLetters;
    private TestOutputTopic<byte[], byte[]> reviewDeadLetters;

    private void start(final Map<String, String> settings) {
        final Map<String, String> given = new HashMap<>(settings);
        given.put(RouterConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://" + scope);
        SigningKeys.settings().forEach(given::putIfAbsent);
        final RouterConfig config = new RouterConfig(given);
        topics = RouterTopics.from(config);
        final Properties streamsConfig = DriverSettings.of(config, "mla-router-review-test", stateDir, NOW);
        driver = new TopologyTestDriver(RouterTopology.build(config), streamsConfig, NOW);
        requests = driver.createInputTopic(topics.of(TopicRole.REQUESTS, AssistanceRequest.class).name(), Serdes.String().serializer(), topics.of(TopicRole.REQUESTS, AssistanceRequest.class).valueSerde().serializer());
        reviews = driver.createInputTopic(topics.of(TopicRole.REVIEWS, ReviewOutcome.class).name(), Serdes.String().serializer(),
                SigningKeys.signature().signing(topics.of(TopicRole.REVIEWS, ReviewOutcome.class).valueSerde().serializer()));
        rawReviews = driver.createInputTopic(topics.of(TopicRole.REVIEWS, ReviewOutcome.class).name(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
        accepted = output(topics.decisions(Route.ACCEPTED));
        refused = output(topics.decisions(Route.REFUSED));
        needsReview = output(topics.decisions(Route.NEEDS_REVIEW));
        overdue = output(topics.of(TopicRole.REVIEWS_OVERDUE, RoutingDecision.class));
        deadLetters = driver.createOutputTopic(topics.raw(TopicRole.DEAD_LETTERS).name(), Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
        reviewDeadLetters = driver.createOutputTopic(topics.raw(TopicRole.REVIEW_DEAD_LETTERS).name(), Serdes.ByteArray().deserializer(),
                Serdes.ByteArray().deserializer());
        final TestInputTopic<String, TreatyCoverage> treaties = driver.createInputTopic(topics.of(TopicRole.TREATIES, TreatyCoverage.class).name(),
                Serdes.String().serializer(), topics.of(TopicRole.TREATIES, TreatyCoverage.class).valueSerde().serializer());
        TreatyTable.shipped("KZ").all().forEach(coverage -> treaties.pipeInput(coverage.getCounterpartState(), coverage));
    }

    @AfterEach
    void closeDriver() {
        if (driver != null) {
            driver.close();
        }
        MockSchemaRegistry.dropScope(scope);
    }

    private TestOutputTopic<String, RoutingDecision> output(final Topic<String, RoutingDecision> topic) {
        return driver.createOutputTopic(topic.name(), Serdes.String().deserializer(), topic.valueSerde().deserializer());
    }

    private void submit(final AssistanceRequest request) {
        requests.pipeInput(request.getRequestId(), request);
    }

    private static AssistanceRequest vietnam(final String requestId) {
        return Requests.mla(requestId, "VN", Measure.SERVICE_OF_DOCUMENTS).build();
    }

    private KeyValueStore<String, RequestStatus> statuses() {
        return driver.getKeyValueStore(RouterTopology.REQUEST_STATUS_STORE);
    }

    private KeyValueStore<String, RoutingDecision> pending() {
        return driver.getKeyValueStore(RouterTopology.PENDING_REVIEWS_STORE);
    }

    private List<String> reviewDeadLetterReasons() {
        final List<String> reasons = new ArrayList<>();
        for (final TestRecord<byte[], byte[]> letter : reviewDeadLetters.readRecordsToList()) {
            reasons.add(DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.REASON));
        }
        return reasons;
    }

    @Test
    void shouldTurnAnAcceptanceIntoTheFinalDecisionAndEndThePendingReview() throws Exception {
        start(Map.of());
        submit(vietnam("vn-1"));
        final RoutingDecision pendingDecision = needsReview.readValue();
        assertEquals(List.of(ReasonCode.TREATY_NOT_IN_FORCE), pendingDecision.getReasons().stream().map(r -> r.getCode()).toList());

        reviews.pipeInput("vn-1", Outcomes.of("vn-1", Route.ACCEPTED).setLegalBasis("KZ-VN-MLA").build());

        final RoutingDecision decision = accepted.readValue();
        assertEquals(Route.ACCEPTED, decision.getRoute());
        assertEquals("KZ-VN-MLA", decision.getLegalBasis(), "the reviewer's legal basis");
        assertEquals(pendingDecision.getReasons(), decision.getReasons(), "why it went to review is kept");
        assertEquals(pendingDecision.getCoverageRevision(), decision.getCoverageRevision());
        assertEquals(pendingDecision.getRequest(), decision.getRequest());
        assertEquals(Route.ACCEPTED, decision.getReview().getDecision());
        assertEquals("PG-REVIEWER-07", decision.getReview().getReviewer());
        assertEquals(pendingDecision.getDecidedAt(), decision.getReview().getPendingSince());
        assertTrue(accepted.isEmpty() && refused.isEmpty() && needsReview.isEmpty() && deadLetters.isEmpty() && reviewDeadLetters.isEmpty());
        assertNull(pending().get("vn-1"), "no longer pending");

        final JsonNode status = statuses().get("vn-1").toJson();
        assertEquals("ACCEPTED", status.get("status").asText());
        assertEquals("KZ-VN-MLA", status.get("legalBasis").asText());
        assertEquals(2, status.get("history").size());
        assertEquals("NEEDS_REVIEW", status.get("history").get(0).get("route").asText());
        assertEquals("PG-REVIEWER-07", status.get("history").get(1).get("reviewer").asText());
        assertFalse(status.toString().contains(Requests.SUBJECT_NAME), "no personal data in a status");
        assertFalse(status.has("subjects") || status.toString().contains("description"), status.toString());
    }

    @Test
    void shouldHoldARefusalUntilASecondSupervisorConfirmsItAndNameBoth() {
        start(Map.of());
        submit(Requests.mla("fr-political", "FR", Measure.SEARCH)
                .setOffence(Requests.offence(org.mlarouter.avro.OffenceCategory.FRAUD).setPoliticalOffence(true).build()).build());
        final RoutingDecision pendingDecision = needsReview.readValue();

        reviews.pipeInput("fr-political", Outcomes.of("fr-political", Route.REFUSED).setGrounds("Political offence").build());
        assertTrue(refused.isEmpty() && accepted.isEmpty() && reviewDeadLetters.isEmpty(), "a refusal is a proposal under four-eyes");
        final JsonNode proposed = statuses().get("fr-political").toJson();
        assertEquals("AWAITING_CONFIRMATION", proposed.get("status").asText());
        assertEquals("PG-REVIEWER-07", proposed.get("proposal").get("reviewer").asText());
        assertEquals("REFUSED", proposed.get("proposal").get("decision").asText());
        assertTrue(proposed.get("review").isNull());
        assertTrue(statuses().get("fr-political").pendingReview(), "still pending: overdue counts until the final decision");

        reviews.pipeInput("fr-political", confirmation("fr-political", "PG-REVIEWER-07"));
        reviews.pipeInput("fr-political", Outcomes.of("fr-political", Route.ACCEPTED).setReviewer("PG-OTHER").build());
        assertEquals(List.of("INVALID_OUTCOME", "NOT_PENDING_REVIEW"), reviewDeadLetterReasons(),
                "the proposer cannot confirm their own proposal; no other decision while one is held");
        assertTrue(refused.isEmpty());

        reviews.pipeInput("fr-political", confirmation("fr-political", "PG-SUPERVISOR-2"));

        final RoutingDecision decision = refused.readValue();
        assertEquals(Route.REFUSED, decision.getRoute());
        assertEquals(pendingDecision.getLegalBasis(), decision.getLegalBasis(), "the router's legal basis when the reviewer names none");
        assertEquals(NOW, decision.getDecidedAt());
        assertEquals("PG-REVIEWER-07", decision.getReview().getReviewer(), "the proposer is the reviewer");
        assertEquals("Political offence", decision.getReview().getGrounds(), "with the proposal's grounds");
        assertEquals("PG-SUPERVISOR-2", decision.getReview().getConfirmedBy(), "and the second person confirmed it");
        assertEquals(Instant.parse("2026-11-23T12:05:00Z"), decision.getReview().getConfirmedAt());
        final JsonNode status = statuses().get("fr-political").toJson();
        assertEquals("REFUSED", status.get("status").asText());
        assertEquals("PG-SUPERVISOR-2", status.get("review").get("confirmedBy").asText());
        assertTrue(status.get("proposal").isNull());
        assertTrue(refused.isEmpty() && reviewDeadLetters.isEmpty());
    }

    @Test
    void shouldPutAReturnedProposalBackInTheQueue() {
        start(Map.of());
        submit(vietnam("vn-returned"));
        needsReview.readValue();
        reviews.pipeInput("vn-returned", Outcomes.of("vn-returned", Route.REFUSED).build());
        reviews.pipeInput("vn-returned", Outcomes.of("vn-returned", Route.REFUSED).setReviewer("PG-SUPERVISOR-2")
                .setKind(OutcomeKind.RETURN).setGrounds(" ").build());
        assertEquals(List.of("INVALID_OUTCOME"), reviewDeadLetterReasons(), "a return says why");

        reviews.pipeInput("vn-returned", Outcomes.of("vn-returned", Route.REFUSED).setReviewer("PG-SUPERVISOR-2")
                .setKind(OutcomeKind.RETURN).setGrounds("Ask the requesting state first").build());
        final RequestStatus returned = statuses().get("vn-returned");
        assertEquals("NEEDS_REVIEW", returned.toJson().get("status").asText(), "pending review again");
        assertNull(returned.proposal());
        reviews.pipeInput("vn-returned", confirmation("vn-returned", "PG-SUPERVISOR-3"));
        assertEquals(List.of("NOT_PENDING_REVIEW"), reviewDeadLetterReasons(), "nothing left to confirm");

        reviews.pipeInput("vn-returned", Outcomes.of("vn-returned", Route.ACCEPTED).setLegalBasis("KZ-VN-MLA").build());
        assertEquals(List.of("vn-returned"), keys(accepted), "an acceptance is final at once under the default four-eyes");
        assertTrue(reviewDeadLetters.isEmpty() && refused.isEmpty());
    }

    @Test
    void shouldHoldWhatTheFourEyesSettingCovers() {
        start(Map.of(ReviewKeys.REVIEW_FOUR_EYES_CONFIG, "all"));
        submit(vietnam("vn-all"));
        reviews.pipeInput("vn-all", Outcomes.of("vn-all", Route.ACCEPTED).build());
        assertTrue(accepted.isEmpty(), "all: an acceptance is held too");
        reviews.pipeInput("vn-all", confirmation("vn-all", "PG-SUPERVISOR-2"));
        assertEquals(List.of("vn-all"), keys(accepted));
        closeDriver();

        start(Map.of(ReviewKeys.REVIEW_FOUR_EYES_CONFIG, "none"));
        submit(vietnam("vn-none"));
        reviews.pipeInput("vn-none", Outcomes.of("vn-none", Route.REFUSED).build());
        final RoutingDecision decision = refused.readValue();
        assertEquals("vn-none", decision.getRequestId(), "none: a refusal is final at once");
        assertNull(decision.getReview().getConfirmedBy());
    }

    @Test
    void shouldDeadLetterAnUnsignedOrForgedOutcomeAndChangeNothing() {
        start(Map.of());
        submit(vietnam("vn-forged"));
        needsReview.readValue();
        final byte[] outcome = topics.of(TopicRole.REVIEWS, ReviewOutcome.class).valueSerde().serializer()
                .serialize(topics.of(TopicRole.REVIEWS, ReviewOutcome.class).name(), Outcomes.of("vn-forged", Route.ACCEPTED).build());
        final byte[] other = topics.of(TopicRole.REVIEWS, ReviewOutcome.class).valueSerde().serializer()
                .serialize(topics.of(TopicRole.REVIEWS, ReviewOutcome.class).name(), Outcomes.of("vn-forged", Route.REFUSED).build());

        rawReviews.pipeInput("vn-forged", outcome);
        rawReviews.pipeInput(new TestRecord<>("vn-forged", outcome, SigningKeys.signed(other)));
        rawReviews.pipeInput(new TestRecord<>("vn-forged", outcome, new org.apache.kafka.common.header.internals.RecordHeaders()
                .add(OutcomeSignature.HEADER, "not base64 at all!".getBytes(StandardCharsets.UTF_8))));

        assertEquals(List.of("UNSIGNED_OUTCOME", "UNSIGNED_OUTCOME", "UNSIGNED_OUTCOME"), reviewDeadLetterReasons(),
                "no signature, another record's, and garbage");
        assertTrue(accepted.isEmpty() && refused.isEmpty());
        assertTrue(statuses().get("vn-forged").pendingReview(), "still pending");

        rawReviews.pipeInput(new TestRecord<>("vn-forged", outcome, SigningKeys.signed(outcome)));
        assertEquals(List.of("vn-forged"), keys(accepted), "the same bytes, signed by the router, are applied");
    }

    private static ReviewOutcome confirmation(final String requestId, final String supervisor) {
        return Outcomes.of(requestId, Route.REFUSED).setReviewer(supervisor).setKind(OutcomeKind.CONFIRMATION).setGrounds("")
                .setReviewedAt(Instant.parse("2026-11-23T12:05:00Z")).build();
    }

    @Test
    void shouldDeadLetterEveryOutcomeThatCannotBeAppliedAndChangeNothing() {
        start(Map.of());
        submit(vietnam("vn-pending"));
        submit(Requests.mla("fr-accepted", "FR", Measure.SEARCH).build());
        needsReview.readValuesToList();
        accepted.readValuesToList();

        reviews.pipeInput("nobody", Outcomes.of("nobody", Route.ACCEPTED).build());
        reviews.pipeInput("fr-accepted", Outcomes.of("fr-accepted", Route.REFUSED).build());
        reviews.pipeInput("vn-pending", Outcomes.of("vn-pending", Route.NEEDS_REVIEW).build());
        reviews.pipeInput("vn-pending", Outcomes.of("vn-pending", Route.ACCEPTED).setReviewer("  ").build());
        reviews.pipeInput("vn-pending", Outcomes.of("vn-pending", Route.ACCEPTED).setLegalBasis("KZ-XX-NONE").build());
        reviews.pipeInput("vn-pending", Outcomes.of("vn-pending", Route.REFUSED).setGrounds(" ").build());
        reviews.pipeInput("vn-pending", Outcomes.of("vn-pending", Route.ACCEPTED).setKind(org.mlarouter.avro.OutcomeKind.CONFIRMATION).build());
        rawReviews.pipeInput("garbage", "not avro".getBytes(StandardCharsets.UTF_8));
        rawReviews.pipeInput("tombstone", (byte[]) null);
        rawReviews.pipeInput("a-request", topics.of(TopicRole.REQUESTS, AssistanceRequest.class).valueSerde().serializer().serialize(topics.of(TopicRole.REQUESTS, AssistanceRequest.class).name(), vietnam("x")));

        assertEquals(List.of("NOT_PENDING_REVIEW", "INVALID_OUTCOME", "INVALID_OUTCOME", "INVALID_OUTCOME",
                "INVALID_OUTCOME", "NOT_PENDING_REVIEW", "NOT_CONFLUENT_FRAMING", "NULL_VALUE", "WRONG_SCHEMA"), reviewDeadLetterReasons(),
                "the sixth: a confirmation with no proposal held");
        driver.advanceWallClockTime(Duration.ofSeconds(59));
        assertTrue(reviewDeadLetters.isEmpty(), "an outcome for an unknown request waits for it");
        driver.advanceWallClockTime(Duration.ofSeconds(2));
        assertEquals(List.of("UNKNOWN_REQUEST"), reviewDeadLetterReasons(), "a minute without its request");
        assertTrue(accepted.isEmpty() && refused.isEmpty() && needsReview.isEmpty(), "no decision changed");
        assertTrue(deadLetters.isEmpty(), "review outcomes never go to the request dead-letter topic");
        assertTrue(statuses().get("vn-pending").pendingReview(), "still pending");

        reviews.pipeInput("vn-pending", Outcomes.of("vn-pending", Route.ACCEPTED).build());
        reviews.pipeInput("vn-pending", Outcomes.of("vn-pending", Route.REFUSED).build());
        assertEquals(1, accepted.readValuesToList().size(), "one final decision");
        assertTrue(refused.isEmpty());
        assertEquals(List.of("NOT_PENDING_REVIEW"), reviewDeadLetterReasons(), "a second outcome for the same request");
    }

    @Test
    void shouldKeepThePersonalDataInClearInPlainModeAndWriteNoKey() {
        start(Map.of(PersonalDataKeys.PERSONAL_DATA_PROTECTION_CONFIG, "plain"));
        final AssistanceRequest request = vietnam("vn-plain");
        submit(request);

        final RoutingDecision decision = needsReview.readValue();
        assertEquals(request, decision.getRequest(), "version 2's behaviour: the request as sent, in clear");
        assertTrue(driver.createOutputTopic(topics.raw(TopicRole.KEYS).name(), Serdes.String().deserializer(), Serdes.ByteArray().deserializer())
                .isEmpty(), "no data key");
        reviews.pipeInput("vn-plain", Outcomes.of("vn-plain", Route.ACCEPTED).build());
        assertEquals(request, accepted.readValue().getRequest(), "the final decision too");
    }

    @Test
    void shouldWriteAnOverdueReviewOnceByItsUrgency() {
        start(Map.of(ReviewKeys.REVIEW_CHECK_INTERVAL_CONFIG, "1m"));
        submit(Requests.mla("vn-urgent", "VN", Measure.SERVICE_OF_DOCUMENTS).setUrgency(Urgency.URGENT).build());
        submit(vietnam("vn-routine"));

        driver.advanceWallClockTime(Duration.ofDays(1));
        assertTrue(overdue.isEmpty(), "not yet");
        driver.advanceWallClockTime(Duration.ofDays(1).plusMinutes(1));
        assertEquals(List.of("vn-urgent"), keys(overdue), "urgent: 2 days");
        driver.advanceWallClockTime(Duration.ofDays(3));
        assertTrue(overdue.isEmpty(), "written once");
        assertTrue(statuses().get("vn-urgent").overdue());
        driver.advanceWallClockTime(Duration.ofDays(25));
        assertEquals(List.of("vn-routine"), keys(overdue), "routine: 30 days");
        driver.advanceWallClockTime(Duration.ofDays(1));
        assertTrue(overdue.isEmpty());
    }

    @Test
    void shouldForgetARequestAfterItsRetentionAndEmptyTheStore() {
        start(Map.of(RouterConfig.REQUEST_RETENTION_CONFIG, "1h", ReviewKeys.REVIEW_CHECK_INTERVAL_CONFIG, "1m"));
        submit(vietnam("vn-old"));
        submit(Requests.mla("fr-old", "FR", Measure.SEARCH).build());
        assertEquals(2, count(statuses()));
        assertEquals(1, count(pending()));

        driver.advanceWallClockTime(Duration.ofMinutes(61));

        assertEquals(0, count(statuses()), "every status forgotten");
        assertEquals(0, count(pending()), "and every pending decision");
        submit(Requests.mla("fr-old", "FR", Measure.SEARCH).build());
        assertEquals(1, accepted.readValuesToList().size() - 1, "the id is decided again, not refused as a duplicate");
        assertTrue(deadLetters.isEmpty());
    }

    @Test
    void shouldBringEveryCopyOfAnIdTogetherWhateverItsKey() {
        start(Map.of());
        final AssistanceRequest request = Requests.mla("fr-keys", "FR", Measure.SEARCH).build();

        requests.pipeInput("some-other-key", request);
        requests.pipeInput(request);
        requests.pipeInput("fr-keys", request);

        assertEquals(List.of("fr-keys"), keys(accepted), "decided once, keyed by its id");
        final List<String> reasons = new ArrayList<>();
        deadLetters.readRecordsToList().forEach(letter -> reasons.add(DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.REASON)));
        assertEquals(List.of("DUPLICATE_REQUEST_ID", "DUPLICATE_REQUEST_ID"), reasons);

        reviews.pipeInput("not-the-id", Outcomes.of("vn-none", Route.ACCEPTED).build());
        driver.advanceWallClockTime(Duration.ofMinutes(1).plusSeconds(1));
        assertEquals(List.of("UNKNOWN_REQUEST"), reviewDeadLetterReasons());
    }

    @Test
    void shouldApplyAnOutcomeThatArrivesBeforeItsRequest() {
        start(Map.of());
        final Instant sent = NOW.minus(Duration.ofDays(3));
        reviews.pipeInput("vn-late", Outcomes.of("vn-late", Route.REFUSED).build(), sent.plusSeconds(60));
        reviews.pipeInput("vn-late", confirmation("vn-late", "PG-SUPERVISOR-2"), sent.plusSeconds(61));
        assertTrue(reviewDeadLetters.isEmpty() && refused.isEmpty(), "they wait, the proposal and its confirmation");

        // Read again after a reset, say: the request comes after the outcome, with older timestamps and more of them.
        requests.pipeInput("vn-late", vietnam("vn-late"), sent);
        for (int i = 0; i < 5; i++) {
            requests.pipeInput("vn-other-" + i, vietnam("vn-other-" + i), sent.plusSeconds(30 + i));
        }
        driver.advanceWallClockTime(Duration.ofSeconds(1));

        assertEquals(List.of("vn-late"), keys(refused), "applied in order once its request was decided");
        assertEquals("REFUSED", statuses().get("vn-late").status());
        assertTrue(statuses().get("vn-late").review() != null, "with its review");
        assertTrue(reviewDeadLetters.isEmpty());
        driver.advanceWallClockTime(Duration.ofMinutes(2));
        assertTrue(reviewDeadLetters.isEmpty() && refused.isEmpty(), "once");
    }

    @Test
    void shouldDeadLetterAWaitingOutcomeOnceRequestsSentAMinuteLaterAreRead() {
        start(Map.of());
        final Instant sent = NOW.minus(Duration.ofDays(3));
        reviews.pipeInput("vn-never", Outcomes.of("vn-never", Route.ACCEPTED).build(), sent);
        requests.pipeInput("vn-a", vietnam("vn-a"), sent.plusSeconds(59));
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertTrue(reviewDeadLetters.isEmpty(), "requests of its minute are still being read");

        requests.pipeInput("vn-b", vietnam("vn-b"), sent.plusSeconds(61));
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        final List<TestRecord<byte[], byte[]>> letters = reviewDeadLetters.readRecordsToList();
        assertEquals(1, letters.size());
        assertEquals("UNKNOWN_REQUEST", DeadLetterHeaders.text(letters.get(0).headers(), DeadLetterHeaders.REASON));
        assertEquals("vn-never", new String(letters.get(0).key(), StandardCharsets.UTF_8), "its original key");
        assertEquals(topics.of(TopicRole.REVIEWS, ReviewOutcome.class).name(), DeadLetterHeaders.text(letters.get(0).headers(), DeadLetterHeaders.TOPIC));
        assertEquals(0, count(driver.getKeyValueStore(RouterTopology.AWAITING_REQUEST_STORE)), "no longer waiting");
    }

    private static List<String> keys(final TestOutputTopic<String, RoutingDecision> topic) {
        return topic.readKeyValuesToList().stream().map(keyValue -> keyValue.key).toList();
    }

    private static long count(final KeyValueStore<String, ?> store) {
        long count = 0;
        try (var all = store.all()) {
            while (all.hasNext()) {
                all.next();
                count++;
            }
        }
        return count;
    }
}
