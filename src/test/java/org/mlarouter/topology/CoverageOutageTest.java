package org.mlarouter.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlarouter.avro.AssistanceKind;
import org.mlarouter.avro.AssistanceRequest;
import org.mlarouter.avro.InstrumentStatus;
import org.mlarouter.avro.Measure;
import org.mlarouter.avro.ReviewOutcome;
import org.mlarouter.avro.Route;
import org.mlarouter.avro.RoutingDecision;
import org.mlarouter.avro.TreatyCoverage;
import org.mlarouter.config.ReviewKeys;
import org.mlarouter.config.PersonalDataKeys;
import org.mlarouter.config.RouterConfig;
import org.mlarouter.config.TopicRole;
import org.mlarouter.net.Ports;
import org.mlarouter.registry.SchemaRegistryServer;
import org.mlarouter.serde.ConfluentFraming;
import org.mlarouter.serde.InMemorySchemaRegistry;
import org.mlarouter.serde.RegisteredSchema;
import org.mlarouter.testing.Coverages;
import org.mlarouter.testing.Outcomes;
import org.mlarouter.testing.Requests;

/**
 * The topology against a real Schema Registry (the embedded one, over HTTP on loopback) that goes away while a coverage
 * update needs it: the update waits in the coverage store without failing anything, a request for that counterpart
 * waits instead of being decided on the coverage being replaced (and a copy of it is still a duplicate), other
 * counterparts are decided as before, and once the registry is back and the waiting update retried (as the running
 * router's coverage watch does) the request is decided on the new coverage. Nothing is dead-lettered for the outage.
 */
class CoverageOutageTest {

    private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");

    @TempDir
    Path stateDir;

    private final int port = Ports.free();
    private final InMemorySchemaRegistry schemas = new InMemorySchemaRegistry("coverage-outage-" + UUID.randomUUID());
    private final RouterConfig config = new RouterConfig(Map.of(RouterConfig.SCHEMA_REGISTRY_URL_CONFIG,
            "http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + port,
            ReviewKeys.REVIEW_SIGNING_KEY_FILE_CONFIG, org.mlarouter.testing.SigningKeys.file(),
            PersonalDataKeys.PERSONAL_DATA_KEK_FILE_CONFIG, org.mlarouter.testing.SigningKeys.kekFile(),
            ReviewKeys.REVIEW_FOUR_EYES_CONFIG, "none")); // a refusal here is final at once: four-eyes is ReviewLoopTest's
    private final RouterTopics topics = RouterTopics.from(config);
    private final AtomicReference<CoverageStore> store = new AtomicReference<>();
    private SchemaRegistryServer registry;
    private TopologyTestDriver driver;
    private TestInputTopic<String, AssistanceRequest> requests;
    private TestInputTopic<String, TreatyCoverage> treaties;
    private TestInputTopic<String, byte[]> rawTreaties;
    private TestOutputTopic<String, RoutingDecision> accepted;
    private TestOutputTopic<String, RoutingDecision> needsReview;
    private TestOutputTopic<String, RoutingDecision> refused;
    private TestOutputTopic<byte[], byte[]> deadLetters;
    private TestOutputTopic<byte[], byte[]> reviewDeadLetters;
    private TestInputTopic<String, byte[]> rawReviews;
    private org.apache.kafka.common.serialization.Serializer<ReviewOutcome> outcomes;

    @BeforeEach
    void start() {
        registry = SchemaRegistryServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), schemas);
        final Properties streamsConfig = new Properties();
        streamsConfig.putAll(RouterTopology.requiredStreamsConfig(config));
        streamsConfig.put(StreamsConfig.APPLICATION_ID_CONFIG, "coverage-outage-test");
        streamsConfig.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        streamsConfig.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        streamsConfig.put(RouterContext.CONFIG, new RouterContext(Clock.fixed(NOW, ZoneOffset.UTC), 1, DecisionListener.NONE,
                new CoverageListener() {
                    @Override
                    public void onOpened(final CoverageStore opened) {
                        store.set(opened);
                    }
                }, DeadLetterListener.NONE));
        driver = new TopologyTestDriver(RouterTopology.build(config), streamsConfig, NOW);
        final Topic<String, AssistanceRequest> requestTopic = topics.of(TopicRole.REQUESTS, AssistanceRequest.class);
        final Topic<String, TreatyCoverage> treatyTopic = topics.of(TopicRole.TREATIES, TreatyCoverage.class);
        requests = driver.createInputTopic(requestTopic.name(), requestTopic.keySerde().serializer(), requestTopic.valueSerde().serializer());
        treaties = driver.createInputTopic(treatyTopic.name(), treatyTopic.keySerde().serializer(), treatyTopic.valueSerde().serializer());
        rawTreaties = driver.createInputTopic(treatyTopic.name(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
        accepted = output(topics.decisions(Route.ACCEPTED));
        needsReview = output(topics.decisions(Route.NEEDS_REVIEW));
        refused = output(topics.decisions(Route.REFUSED));
        deadLetters = driver.createOutputTopic(topics.raw(TopicRole.DEAD_LETTERS).name(), Serdes.ByteArray().deserializer(),
                Serdes.ByteArray().deserializer());
        reviewDeadLetters = driver.createOutputTopic(topics.raw(TopicRole.REVIEW_DEAD_LETTERS).name(), Serdes.ByteArray().deserializer(),
                Serdes.ByteArray().deserializer());
        final Topic<String, ReviewOutcome> reviewTopic = topics.of(TopicRole.REVIEWS, ReviewOutcome.class);
        rawReviews = driver.createInputTopic(reviewTopic.name(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
        outcomes = reviewTopic.valueSerde().serializer();
    }

    @AfterEach
    void stop() {
        driver.close();
        registry.close();
    }

    private TestOutputTopic<String, RoutingDecision> output(final Topic<String, RoutingDecision> topic) {
        return driver.createOutputTopic(topic.name(), topic.keySerde().deserializer(), topic.valueSerde().deserializer());
    }

    private static TreatyCoverage france(final long revision, final InstrumentStatus status) {
        return Coverages.of("FR", revision, Coverages.bilateral("KZ-FR-MLA", status, AssistanceKind.MUTUAL_LEGAL_ASSISTANCE).build());
    }

    @Test
    void shouldHoldRequestsForACounterpartWhoseUpdateWaitsForTheRegistryAndDecideThemOnTheNewCoverage() throws IOException {
        treaties.pipeInput("FR", france(1, InstrumentStatus.IN_FORCE));
        requests.pipeInput("fr-before", Requests.mla("fr-before", "FR", Measure.SEARCH).build());
        requests.pipeInput("de-before", Requests.mla("de-before", "DE", Measure.SEARCH).build());
        assertEquals(1L, accepted.readValue().getCoverageRevision(), "decided on revision 1 while the registry is up");
        assertEquals("de-before", needsReview.readValue().getRequestId(), "(each decision topic has its schema id now)");

        // Revision 2 suspends the treaty, written by a publisher whose schema (one optional field more) the router has
        // not seen yet: decoding it needs the registry, which then goes away.
        final byte[] suspended = framedUnderNewerSchema(france(2, InstrumentStatus.SUSPENDED));
        registry.close();
        rawTreaties.pipeInput("FR", suspended);

        final CoverageStore coverage = store.get();
        assertTrue(coverage.problem().orElseThrow().contains("FR"), coverage.problem().toString());
        assertFalse(coverage.current("FR"));
        requests.pipeInput("fr-during", Requests.mla("fr-during", "FR", Measure.SEARCH).build());
        requests.pipeInput("fr-during", Requests.mla("fr-during", "FR", Measure.SEARCH).build());
        requests.pipeInput("de-during", Requests.mla("de-during", "DE", Measure.SEARCH).build());
        driver.advanceWallClockTime(Duration.ofSeconds(3));
        assertTrue(accepted.isEmpty(), "nothing is decided for France on the revision being replaced");
        assertEquals(List.of("de-during"), keys(needsReview.readKeyValuesToList()), "another counterpart is decided at once");
        assertEquals(List.of(DeadLetterReason.DUPLICATE_REQUEST_ID.name()), reasons(deadLetters.readRecordsToList()),
                "a copy of a waiting request is a duplicate, as of a decided one");
        // It waits sealed: no name in clear in the store (nor so in its changelog).
        final org.apache.kafka.streams.state.KeyValueStore<String, AwaitingCoverage> waiting = driver.getKeyValueStore(RouterTopology.AWAITING_COVERAGE_STORE);
        final byte[] stored = AwaitingCoverage.serde().serializer().serialize(null, waiting.get("fr-during"));
        assertFalse(new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1).contains(Requests.SUBJECT_NAME), "no name in the waiting store");
        assertTrue(waiting.get("fr-during").wrappedKey() != null, "its data key waits with it");

        registry = SchemaRegistryServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), schemas);
        assertFalse(coverage.retryWaiting(), "the waiting update applies once the registry answers");
        assertTrue(coverage.problem().isEmpty());
        assertEquals(2L, coverage.inForce("FR").getRevision());
        driver.advanceWallClockTime(Duration.ofSeconds(1));

        final List<RoutingDecision> decided = new java.util.ArrayList<>(needsReview.readValuesToList());
        decided.addAll(refused.readValuesToList());
        decided.addAll(accepted.readValuesToList());
        assertEquals(List.of("fr-during"), decided.stream().map(RoutingDecision::getRequestId).collect(Collectors.toList()));
        assertEquals(2L, decided.get(0).getCoverageRevision(), "decided on the new revision");
        final byte[] wrapped = driver.createOutputTopic(topics.raw(org.mlarouter.config.TopicRole.KEYS).name(), org.apache.kafka.common.serialization.Serdes.String().deserializer(),
                org.apache.kafka.common.serialization.Serdes.ByteArray().deserializer()).readKeyValuesToMap().get("fr-during");
        assertEquals(Requests.SUBJECT_NAME, org.mlarouter.privacy.PersonalData.open(decided.get(0),
                org.mlarouter.testing.SigningKeys.keyEncryptionKeys().unwrap("fr-during", wrapped)).getRequest().getSubjects().get(0).getFullName(),
                "decided with the key it waited with");
        assertEquals(Route.REFUSED, decided.get(0).getRoute(), "refused: the treaty is suspended in revision 2");
        assertTrue(deadLetters.isEmpty(), "nothing is dead-lettered for the registry's absence");
    }

    @Test
    void shouldHoldAReviewOutcomeWhileItsRequestsCoverageWaitsForTheRegistry() throws IOException {
        treaties.pipeInput("VN", vietnam(1, "KZ-VN-MLA", InstrumentStatus.SIGNED));
        requests.pipeInput("vn-1", Requests.mla("vn-1", "VN", Measure.SEARCH).build());
        requests.pipeInput("vn-2", Requests.mla("vn-2", "VN", Measure.SEARCH).build());
        assertEquals(List.of("vn-1", "vn-2"), keys(needsReview.readKeyValuesToList()), "pending review: the treaty is only signed");
        final byte[] refusal = outcomes.serialize(topics.of(TopicRole.REVIEWS, ReviewOutcome.class).name(), Outcomes.of("vn-1", Route.REFUSED).build());
        rawReviews.pipeInput(new TestRecord<>("vn-1", refusal, org.mlarouter.testing.SigningKeys.signed(refusal)));
        assertEquals("vn-1", refused.readValue().getRequestId(), "(the review topic's schema is known to the router now)");
        // Accepted on an instrument that only revision 2 holds, sent while revision 2 waits for the registry.
        final byte[] acceptance = outcomes.serialize(topics.of(TopicRole.REVIEWS, ReviewOutcome.class).name(),
                Outcomes.of("vn-2", Route.ACCEPTED).setLegalBasis("KZ-VN-MLA-2020").build());
        final byte[] revised = framedUnderNewerSchema(vietnam(2, "KZ-VN-MLA-2020", InstrumentStatus.IN_FORCE));
        registry.close();
        rawTreaties.pipeInput("VN", revised);
        rawReviews.pipeInput(new TestRecord<>("vn-2", acceptance, org.mlarouter.testing.SigningKeys.signed(acceptance)));
        driver.advanceWallClockTime(Duration.ofSeconds(3));
        assertTrue(accepted.isEmpty() && reviewDeadLetters.isEmpty(),
                "the outcome is neither applied nor refused on the coverage being replaced, which lacks its instrument");

        registry = SchemaRegistryServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), schemas);
        assertFalse(store.get().retryWaiting());
        driver.advanceWallClockTime(Duration.ofSeconds(1));

        final RoutingDecision decision = accepted.readValue();
        assertEquals("vn-2", decision.getRequestId());
        assertEquals("KZ-VN-MLA-2020", decision.getLegalBasis(), "checked against revision 2 once it applied");
        assertTrue(reviewDeadLetters.isEmpty() && deadLetters.isEmpty(), "nothing is dead-lettered for the registry's absence");
    }

    private static TreatyCoverage vietnam(final long revision, final String instrument, final InstrumentStatus status) {
        return Coverages.of("VN", revision, Coverages.bilateral(instrument, status, AssistanceKind.MUTUAL_LEGAL_ASSISTANCE).build());
    }

    /** The coverage in Confluent's framing under a schema of its own: the router's with an optional field at the end. */
    private byte[] framedUnderNewerSchema(final TreatyCoverage coverage) throws IOException {
        final String text = TreatyCoverage.getClassSchema().toString();
        final Schema newer = InMemorySchemaRegistry.parse(text.substring(0, text.lastIndexOf(']'))
                + ",{\"name\":\"publisherNote\",\"type\":[\"null\",\"string\"],\"default\":null}]}");
        final String subject = topics.of(TopicRole.TREATIES, TreatyCoverage.class).name() + "-value";
        final int id = schemas.lookup(subject, newer.toString(), List.of()).map(RegisteredSchema::id).orElseGet(() -> schemas.register(subject, newer));
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(ConfluentFraming.MAGIC_BYTE);
        out.write(ByteBuffer.allocate(4).putInt(id).array());
        final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(TreatyCoverage.class).write(coverage, encoder);
        encoder.writeIndex(0); // publisherNote: null
        encoder.flush();
        return out.toByteArray();
    }

    private static List<String> keys(final List<org.apache.kafka.streams.KeyValue<String, RoutingDecision>> decisions) {
        return decisions.stream().map(entry -> entry.key).collect(Collectors.toList());
    }

    private static List<String> reasons(final List<org.apache.kafka.streams.test.TestRecord<byte[], byte[]>> letters) {
        return letters.stream().map(letter -> new String(letter.headers().lastHeader("mla.dlq.reason").value(),
                java.nio.charset.StandardCharsets.UTF_8)).collect(Collectors.toList());
    }
}
