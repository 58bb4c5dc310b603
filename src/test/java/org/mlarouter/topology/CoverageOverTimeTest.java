package org.mlarouter.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlarouter.avro.AssistanceRequest;
import org.mlarouter.avro.InstrumentStatus;
import org.mlarouter.avro.Measure;
import org.mlarouter.avro.ReasonCode;
import org.mlarouter.avro.ReviewOutcome;
import org.mlarouter.avro.Route;
import org.mlarouter.avro.RoutingDecision;
import org.mlarouter.avro.TreatyCoverage;
import org.mlarouter.config.RouterConfig;
import org.mlarouter.config.TopicRole;
import org.mlarouter.serde.MockSchemaRegistry;
import org.mlarouter.testing.MovableClock;
import org.mlarouter.testing.Outcomes;
import org.mlarouter.testing.Requests;
import org.mlarouter.testing.SigningKeys;
import org.mlarouter.treaty.TreatyTable;

/**
 * Coverage over time (docs/contract.md, version 3) on the real topology, with a clock the test moves: an instrument in
 * force from a date applies from that day in the home zone without anyone publishing, and the requests pending review of
 * a counterpart whose coverage changes are decided again, shown and counted, never made final.
 */
class CoverageOverTimeTest {

    /** 10 January 2027, noon in Almaty (UTC+5). */
    private static final Instant START = Instant.parse("2027-01-10T07:00:00Z");
    /** Midnight of 15 January 2027 in Almaty: the day Viet Nam's treaty enters into force in these tests. */
    private static final Instant IN_FORCE_DAY = Instant.parse("2027-01-14T19:00:00Z");

    @TempDir
    Path stateDir;

    private final String scope = "coverage-time-" + UUID.randomUUID();
    private final MovableClock clock = new MovableClock(START);
    private final List<String> changedCounterparts = new ArrayList<>();
    private final AtomicInteger decisionsTold = new AtomicInteger();
    private TopologyTestDriver driver;
    private TestInputTopic<String, AssistanceRequest> requests;
    private TestInputTopic<String, ReviewOutcome> reviews;
    private TestInputTopic<String, TreatyCoverage> treaties;
    private TestOutputTopic<String, RoutingDecision> accepted;
    private TestOutputTopic<String, RoutingDecision> needsReview;

    private void start() {
        final Map<String, String> given = new HashMap<>();
        given.put(RouterConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://" + scope);
        SigningKeys.settings().forEach(given::putIfAbsent);
        final RouterConfig config = new RouterConfig(given);
        final RouterTopics topics = RouterTopics.from(config);
        final Properties streamsConfig = DriverSettings.of(config, "mla-router-coverage-time-test", stateDir, START);
        streamsConfig.put(RouterContext.CONFIG, new RouterContext(clock, 1, new DecisionListener() {
            @Override
            public void onDecision(final RoutingDecision decision) {
                decisionsTold.incrementAndGet();
            }

            @Override
            public void onCoverageChanged(final String counterpart) {
                changedCounterparts.add(counterpart);
            }
        }, CoverageListener.NONE, DeadLetterListener.NONE));
        driver = new TopologyTestDriver(RouterTopology.build(config), streamsConfig, START);
        requests = driver.createInputTopic(topics.of(TopicRole.REQUESTS, AssistanceRequest.class).name(), Serdes.String().serializer(),
                topics.of(TopicRole.REQUESTS, AssistanceRequest.class).valueSerde().serializer());
        reviews = driver.createInputTopic(topics.of(TopicRole.REVIEWS, ReviewOutcome.class).name(), Serdes.String().serializer(),
                SigningKeys.signature().signing(topics.of(TopicRole.REVIEWS, ReviewOutcome.class).valueSerde().serializer()));
        treaties = driver.createInputTopic(topics.of(TopicRole.TREATIES, TreatyCoverage.class).name(), Serdes.String().serializer(),
                topics.of(TopicRole.TREATIES, TreatyCoverage.class).valueSerde().serializer());
        accepted = driver.createOutputTopic(topics.decisions(Route.ACCEPTED).name(), Serdes.String().deserializer(),
                topics.decisions(Route.ACCEPTED).valueSerde().deserializer());
        needsReview = driver.createOutputTopic(topics.decisions(Route.NEEDS_REVIEW).name(), Serdes.String().deserializer(),
                topics.decisions(Route.NEEDS_REVIEW).valueSerde().deserializer());
        TreatyTable.shipped("KZ").all().forEach(this::publish);
        driver.advanceWallClockTime(Duration.ofSeconds(1)); // the first look after a start: every pending request (none yet)
    }

    @AfterEach
    void closeDriver() {
        if (driver != null) {
            driver.close();
        }
        MockSchemaRegistry.dropScope(scope);
    }

    private void publish(final TreatyCoverage coverage) {
        treaties.pipeInput(coverage.getCounterpartState(), coverage);
    }

    /** Viet Nam's treaty at a new revision: in force from {@code since} (null: from no stated day), or as shipped (signed). */
    private static TreatyCoverage vietnam(final long revision, final InstrumentStatus status, final String since) {
        final TreatyCoverage shipped = TreatyTable.shipped("KZ").coverage("VN").orElseThrow();
        final TreatyCoverage next = TreatyCoverage.newBuilder(shipped).setRevision(revision).setUpdatedAt(Instant.parse("2027-01-09T10:00:00Z")).build();
        next.getInstruments().set(0, org.mlarouter.avro.Instrument.newBuilder(next.getInstruments().get(0)).setStatus(status)
                .setInForceSince(since == null ? null : LocalDate.parse(since)).build());
        return next;
    }

    private void submit(final String requestId) {
        requests.pipeInput(requestId, Requests.mla(requestId, "VN", Measure.SERVICE_OF_DOCUMENTS).build());
    }

    private KeyValueStore<String, RequestStatus> statuses() {
        return driver.getKeyValueStore(RouterTopology.REQUEST_STATUS_STORE);
    }

    private JsonNode status(final String requestId) {
        return statuses().get(requestId).toJson();
    }

    /** A second of wall-clock time: the review desk's looks at coverage. */
    private void aSecondPasses() {
        driver.advanceWallClockTime(Duration.ofSeconds(1));
    }

    @Test
    void shouldDecideOnTheDayATreatyEntersIntoForceWithoutAnyonePublishingAndMarkTheRequestsPendingBeforeIt() {
        start();
        publish(vietnam(2, InstrumentStatus.IN_FORCE, "2027-01-15"));
        submit("vn-before");
        final RoutingDecision before = needsReview.readValue();
        assertEquals(List.of(ReasonCode.TREATY_NOT_IN_FORCE), before.getReasons().stream().map(reason -> reason.getCode()).toList());
        assertTrue(before.getReasons().get(0).getDetail().contains("from 2027-01-15"), before.getReasons().get(0).getDetail());
        aSecondPasses();
        assertTrue(status("vn-before").get("coverageChanged").isNull(), "nothing changed yet");

        clock.set(IN_FORCE_DAY);
        aSecondPasses();

        final JsonNode marked = status("vn-before");
        assertEquals("NEEDS_REVIEW", marked.get("status").asText(), "nothing final without a person");
        assertEquals("TREATY_NOT_IN_FORCE", marked.get("reasons").get(0).get("code").asText(), "the decision shown stays");
        final JsonNode changed = marked.get("coverageChanged");
        assertEquals("ACCEPTED", changed.get("route").asText());
        assertEquals("COVERED", changed.get("reasons").get(0).get("code").asText());
        assertEquals("KZ-VN-MLA", changed.get("legalBasis").asText());
        assertEquals(2, changed.get("coverageRevision").asLong());
        assertEquals(IN_FORCE_DAY.toString(), changed.get("since").asText(), "since the treaty's day began in the home zone");
        assertEquals(List.of("VN"), changedCounterparts);
        assertTrue(accepted.isEmpty() && needsReview.isEmpty(), "no decision written for a request decided again");

        submit("vn-after");
        assertEquals(Route.ACCEPTED, accepted.readValue().getRoute(), "a new request is decided on the day's coverage");
        aSecondPasses();
        aSecondPasses();
        assertEquals(List.of("VN"), changedCounterparts, "counted once");
    }

    @Test
    void shouldDecideAgainOnANewRevisionClearWhenItIsUndoneAndLeaveTheFinalDecisionToTheReviewer() {
        start();
        submit("vn-1");
        submit("vn-2");
        requests.pipeInput("fr-1", Requests.extradition("fr-1", "FR").build()); // refused: never pending
        assertEquals(2, needsReview.readValuesToList().size());

        publish(vietnam(2, InstrumentStatus.IN_FORCE, null));
        aSecondPasses();
        assertEquals("ACCEPTED", status("vn-1").get("coverageChanged").get("route").asText());
        assertEquals("2027-01-09T10:00:00Z", status("vn-2").get("coverageChanged").get("since").asText(), "since the revision's updatedAt");
        assertTrue(status("fr-1").get("coverageChanged").isNull());
        assertEquals(List.of("VN", "VN"), changedCounterparts);

        publish(vietnam(3, InstrumentStatus.SIGNED, null)); // a mistake undone: the decision shown holds again
        aSecondPasses();
        assertTrue(status("vn-1").get("coverageChanged").isNull(), status("vn-1").toString());
        assertEquals(2, changedCounterparts.size(), "clearing is not a change of decision");

        publish(vietnam(4, InstrumentStatus.IN_FORCE, null));
        aSecondPasses();
        reviews.pipeInput("vn-1", Outcomes.of("vn-1", Route.ACCEPTED).setLegalBasis("KZ-VN-MLA").build());
        final RoutingDecision decided = accepted.readValue();
        assertEquals("PG-REVIEWER-07", decided.getReview().getReviewer(), "the final decision is the reviewer's");
        assertEquals(List.of(ReasonCode.TREATY_NOT_IN_FORCE), decided.getReasons().stream().map(reason -> reason.getCode()).toList());
        assertTrue(status("vn-1").get("coverageChanged").isNull(), "once decided, nothing pending is shown");
        assertEquals("ACCEPTED", status("vn-2").get("coverageChanged").get("route").asText());
    }

    @Test
    void shouldNotMarkARequestWhoseDecisionOnlyChangesInItsDetail() {
        start();
        submit("vn-1");
        aSecondPasses();

        publish(vietnam(2, InstrumentStatus.RATIFIED, null)); // still not in force: the same decision, another detail
        aSecondPasses();

        assertTrue(status("vn-1").get("coverageChanged").isNull(), status("vn-1").toString());
        assertEquals(List.of(), changedCounterparts);
    }

    @Test
    void shouldDecideAgainWhenACounterpartsCoverageIsRemoved() {
        start();
        publish(vietnam(2, InstrumentStatus.IN_FORCE, "2027-02-01"));
        submit("vn-1");
        aSecondPasses();

        treaties.pipeInput("VN", null);
        aSecondPasses();

        final JsonNode changed = status("vn-1").get("coverageChanged");
        assertEquals("NEEDS_REVIEW", changed.get("route").asText());
        assertEquals("NO_TREATY_DATA", changed.get("reasons").get(0).get("code").asText());
        assertTrue(changed.get("coverageRevision").isNull());
        assertFalse(status("vn-1").toString().contains(Requests.SUBJECT_NAME));
        assertNull(statuses().get("vn-1").review());
    }
}
