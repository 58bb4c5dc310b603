package org.mlarouter.topology;

import org.mlarouter.config.TopicRole;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlarouter.config.ReviewKeys;
import org.mlarouter.config.PersonalDataKeys;
import org.mlarouter.config.RouterConfig;
import org.mlarouter.avro.AssistanceRequest;
import org.mlarouter.avro.InstrumentStatus;
import org.mlarouter.avro.Measure;
import org.mlarouter.avro.Reason;
import org.mlarouter.avro.ReasonCode;
import org.mlarouter.avro.Route;
import org.mlarouter.avro.RoutingDecision;
import org.mlarouter.avro.TreatyCoverage;
import org.mlarouter.serde.ConfluentFraming;
import org.mlarouter.serde.MockSchemaRegistry;
import org.mlarouter.testing.KeysTopic;
import org.mlarouter.testing.Requests;
import org.mlarouter.treaty.TreatyTable;

class RouterTopologyTest {

    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

    @TempDir
    Path stateDir;

    private final String scope = "topology-test-" + UUID.randomUUID();
    private final RouterConfig config = new RouterConfig(Map.of(RouterConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://" + scope,
            ReviewKeys.REVIEW_SIGNING_KEY_FILE_CONFIG, org.mlarouter.testing.SigningKeys.file(),
            PersonalDataKeys.PERSONAL_DATA_KEK_FILE_CONFIG, org.mlarouter.testing.SigningKeys.kekFile()));
    private final RouterTopics topics = RouterTopics.from(config);

    private TopologyTestDriver driver;
    private TestInputTopic<String, AssistanceRequest> requests;
    private TestInputTopic<String, byte[]> rawRequests;
    private TestInputTopic<String, TreatyCoverage> treaties;
    private TestOutputTopic<String, RoutingDecision> accepted;
    private TestOutputTopic<String, RoutingDecision> refused;
    private TestOutputTopic<String, RoutingDecision> needsReview;
    private TestOutputTopic<byte[], byte[]> deadLetters;
    private TestOutputTopic<String, byte[]> keys;

    @BeforeEach
    void startDriver() {
        final Properties streamsConfig = DriverSettings.of(config, "mla-router-test", stateDir, NOW);
        driver = new TopologyTestDriver(RouterTopology.build(config), streamsConfig);

        requests = driver.createInputTopic(topics.of(TopicRole.REQUESTS, AssistanceRequest.class).name(), topics.of(TopicRole.REQUESTS, AssistanceRequest.class).keySerde().serializer(), topics.of(TopicRole.REQUESTS, AssistanceRequest.class).valueSerde().serializer());
        rawRequests = driver.createInputTopic(topics.of(TopicRole.REQUESTS, AssistanceRequest.class).name(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
        treaties = driver.createInputTopic(topics.of(TopicRole.TREATIES, TreatyCoverage.class).name(), topics.of(TopicRole.TREATIES, TreatyCoverage.class).keySerde().serializer(), topics.of(TopicRole.TREATIES, TreatyCoverage.class).valueSerde().serializer());
        accepted = output(topics.decisions(Route.ACCEPTED));
        refused = output(topics.decisions(Route.REFUSED));
        needsReview = output(topics.decisions(Route.NEEDS_REVIEW));
        deadLetters = driver.createOutputTopic(topics.raw(TopicRole.DEAD_LETTERS).name(), Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
        keys = driver.createOutputTopic(topics.raw(TopicRole.KEYS).name(), Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
        MockSchemaRegistry.dropScope(scope);
    }

    private TestOutputTopic<String, RoutingDecision> output(final Topic<String, RoutingDecision> topic) {
        return driver.createOutputTopic(topic.name(), topic.keySerde().deserializer(), topic.valueSerde().deserializer());
    }

    private void publishShippedTreaties() {
        TreatyTable.shipped("KZ").all().forEach(coverage -> treaties.pipeInput(coverage.getCounterpartState(), coverage));
    }

    private void submit(final AssistanceRequest request) {
        requests.pipeInput(request.getRequestId(), request);
    }

    @Test
    void shouldBuildFromConfigurationAloneWithoutStartingAThread() {
        final RouterConfig overHttp = new RouterConfig(Map.of(RouterConfig.SCHEMA_REGISTRY_URL_CONFIG, "http://127.0.0.1:1",
                ReviewKeys.REVIEW_SIGNING_KEY_FILE_CONFIG, org.mlarouter.testing.SigningKeys.file(),
            PersonalDataKeys.PERSONAL_DATA_KEK_FILE_CONFIG, org.mlarouter.testing.SigningKeys.kekFile()));
        final java.util.Set<Thread> before = Thread.getAllStackTraces().keySet();

        final org.apache.kafka.streams.Topology topology = RouterTopology.build(overHttp);

        final List<String> started = Thread.getAllStackTraces().keySet().stream().filter(thread -> !before.contains(thread))
                .map(Thread::getName).collect(Collectors.toList());
        assertEquals(List.of(), started, "building the topology starts no thread (its registry clients connect on first use)");
        assertEquals(1, topology.describe().globalStores().size(), "the coverage");
    }

    @Test
    void shouldSendEachDecisionToTheTopicOfItsRoute() {
        publishShippedTreaties();

        submit(Requests.mla("fr-search", "FR", Measure.SEARCH, Measure.SEIZURE).build());
        submit(Requests.extradition("fr-extradition", "FR").build());
        submit(Requests.mla("vn-documents", "VN", Measure.SERVICE_OF_DOCUMENTS).build());
        submit(Requests.transfer("uz-200-days", "UZ").setSentencedPerson(Requests.sentenced("UZ", 200).build()).build());
        submit(Requests.mla("de-unknown", "DE", Measure.SEARCH).build());

        assertEquals(Map.of("fr-search", Route.ACCEPTED), routes(accepted.readKeyValuesToList()));
        assertEquals(Map.of("fr-extradition", Route.REFUSED, "uz-200-days", Route.REFUSED), routes(refused.readKeyValuesToList()));
        assertEquals(Map.of("vn-documents", Route.NEEDS_REVIEW, "de-unknown", Route.NEEDS_REVIEW), routes(needsReview.readKeyValuesToList()));
        assertTrue(deadLetters.isEmpty());
    }

    @Test
    void shouldCarryTheFullRequestTheRevisionAndTheLegalBasis() {
        publishShippedTreaties();
        final AssistanceRequest request = Requests.mla("fr-1", "FR", Measure.BANK_INFORMATION).build();

        submit(request);

        final RoutingDecision decision = accepted.readValue();
        // Its personal fields encrypted (the default), readable with its data key from the keys topic and the key-encryption key.
        assertTrue(decision.getRequest().getSubjects().get(0).getFullName().startsWith("mla-enc:v1:"));
        assertTrue(decision.getRequest().getOffence().getDescription().startsWith("mla-enc:v1:"));
        assertFalse(decision.toString().contains(Requests.SUBJECT_NAME), "no name in clear");
        final org.apache.kafka.streams.test.TestRecord<String, byte[]> wrapped = driver.createOutputTopic(topics.raw(TopicRole.KEYS).name(),
                Serdes.String().deserializer(), Serdes.ByteArray().deserializer()).readRecord();
        assertEquals("fr-1", wrapped.key());
        final javax.crypto.SecretKey dataKey = org.mlarouter.testing.SigningKeys.keyEncryptionKeys().unwrap("fr-1", wrapped.value());
        assertEquals(request, org.mlarouter.privacy.PersonalData.open(decision, dataKey).getRequest());
        final RequestStatus status = driver.<String, RequestStatus>getKeyValueStore(RouterTopology.REQUEST_STATUS_STORE).get("fr-1");
        assertArrayEquals(wrapped.value(), status.dataKey(), "the router keeps its copy of the wrapped key in the request's status");
        assertEquals("encrypted", status.toJson().get("personalData").asText());
        assertEquals("KZ-FR-MLA", decision.getLegalBasis());
        assertEquals(1L, decision.getCoverageRevision());
        assertEquals(NOW, decision.getDecidedAt());
        assertEquals(List.of(ReasonCode.COVERED), decision.getReasons().stream().map(Reason::getCode).collect(Collectors.toList()));
    }

    @Test
    void shouldApplyACoverageChangeToTheNextRequestWithoutARestart() {
        publishShippedTreaties();
        submit(Requests.mla("vn-before", "VN", Measure.SEARCH).build());
        final TreatyCoverage vietnam = TreatyTable.shipped("KZ").coverage("VN").orElseThrow();
        vietnam.setRevision(2L);
        vietnam.getInstruments().get(0).setStatus(InstrumentStatus.IN_FORCE);

        treaties.pipeInput("VN", vietnam);
        submit(Requests.mla("vn-after", "VN", Measure.SEARCH).build());
        treaties.pipeInput("VN", null);
        submit(Requests.mla("vn-removed", "VN", Measure.SEARCH).build());

        final RoutingDecision before = needsReview.readValue();
        assertEquals(List.of(ReasonCode.TREATY_NOT_IN_FORCE), codes(before));
        assertEquals(1L, before.getCoverageRevision());
        final RoutingDecision after = accepted.readValue();
        assertEquals("vn-after", after.getRequestId());
        assertEquals(2L, after.getCoverageRevision());
        assertEquals("KZ-VN-MLA", after.getLegalBasis());
        final RoutingDecision removed = needsReview.readValue();
        assertEquals(List.of(ReasonCode.NO_TREATY_DATA), codes(removed));
        assertNull(removed.getCoverageRevision());
    }

    @Test
    void shouldNeverLetABadCoverageRecordReplaceAGoodOne() {
        publishShippedTreaties();
        final TreatyCoverage france = TreatyTable.shipped("KZ").coverage("FR").orElseThrow();
        final TreatyCoverage blankId = TreatyCoverage.newBuilder(france).setRevision(5L).build();
        blankId.getInstruments().get(0).setId(" ");
        final TreatyCoverage otherState = TreatyCoverage.newBuilder(france).setCounterpartState("DE").setRevision(6L).build();
        final TreatyCoverage older = TreatyCoverage.newBuilder(france).setRevision(0L).build();
        older.getInstruments().get(0).setStatus(InstrumentStatus.TERMINATED);
        final TestInputTopic<String, byte[]> rawTreaties = driver.createInputTopic(topics.of(TopicRole.TREATIES, TreatyCoverage.class).name(),
                Serdes.String().serializer(), Serdes.ByteArray().serializer());

        treaties.pipeInput("FR", blankId);
        treaties.pipeInput("FR", otherState);
        treaties.pipeInput("FR", older);
        treaties.pipeInput(null, france);
        rawTreaties.pipeInput("FR", new byte[] {0, 0, 0, 0, 1, 2, 3});
        rawTreaties.pipeInput("FR", "{\"counterpartState\": \"FR\"}".getBytes(StandardCharsets.UTF_8));
        submit(Requests.mla("fr-after-bad-coverage", "FR", Measure.SEARCH).build());

        final RoutingDecision decision = accepted.readValue();
        assertEquals(1L, decision.getCoverageRevision(), "the good coverage is still in force");
        assertEquals("KZ-FR-MLA", decision.getLegalBasis());
        assertTrue(deadLetters.isEmpty(), "bad coverage records are refused, not dead-lettered");
    }

    @Test
    void shouldDecideARequestThatHasNoCounterpartToLookUp() {
        publishShippedTreaties();

        submit(Requests.mla("fr-de", "DE", Measure.SEARCH).setRequestingState("FR").build());
        submit(Requests.mla("bad-code", "France", Measure.SEARCH).build());

        assertEquals(List.of(ReasonCode.NOT_HOME_STATE), codes(needsReview.readValue()));
        assertEquals(List.of(ReasonCode.INCOMPLETE_REQUEST), codes(needsReview.readValue()));
    }

    @Test
    void shouldKeyEachDecisionByItsRequestId() {
        publishShippedTreaties();

        requests.pipeInput("agency-key-7", Requests.mla("fr-7", "FR", Measure.SEARCH).build());

        assertEquals("fr-7", accepted.readKeyValue().key);
    }

    @Test
    void shouldDeadLetterEachKindOfUndecodableRecordWithItsBytesAndProvenance() {
        publishShippedTreaties();
        final byte[] valid = topics.of(TopicRole.REQUESTS, AssistanceRequest.class).valueSerde().serializer().serialize(topics.of(TopicRole.REQUESTS, AssistanceRequest.class).name(),
                Requests.mla("valid", "FR", Measure.SEARCH).build());
        final byte[] wrongMagic = valid.clone();
        wrongMagic[0] = 0x7b;
        final byte[] unknownId = valid.clone();
        ConfluentFraming.writeHeader(unknownId, 9999);
        final byte[] truncated = java.util.Arrays.copyOf(valid, valid.length - 20);
        final byte[] garbage = "{\"requestId\": \"not avro\"}".getBytes(StandardCharsets.UTF_8);
        final byte[] otherType = topics.of(TopicRole.TREATIES, TreatyCoverage.class).valueSerde().serializer().serialize(topics.of(TopicRole.TREATIES, TreatyCoverage.class).name(),
                TreatyTable.shipped("KZ").all().get(0));

        rawRequests.pipeInput("garbage", garbage);
        rawRequests.pipeInput("wrong-magic", wrongMagic);
        rawRequests.pipeInput("unknown-id", unknownId);
        rawRequests.pipeInput("truncated", truncated);
        rawRequests.pipeInput("null-value", null);
        rawRequests.pipeInput("other-type", otherType);
        rawRequests.pipeInput("valid", valid);

        final List<TestRecord<byte[], byte[]>> letters = deadLetters.readRecordsToList();
        assertEquals(List.of("garbage", "wrong-magic", "unknown-id", "truncated", "null-value", "other-type"),
                letters.stream().map(letter -> new String(letter.key(), StandardCharsets.UTF_8)).collect(Collectors.toList()));
        assertEquals(List.of("NOT_CONFLUENT_FRAMING", "NOT_CONFLUENT_FRAMING", "UNKNOWN_SCHEMA_ID", "MALFORMED_BODY", "NULL_VALUE", "WRONG_SCHEMA"),
                letters.stream().map(letter -> header(letter, DeadLetterHeaders.REASON)).collect(Collectors.toList()));
        // Encrypted mode: each value sealed under a key of its own, which the keys topic holds wrapped.
        final KeysTopic written = new KeysTopic().read(keys.readKeyValuesToList());
        assertTrue(DeadLetterSeal.sealed(letters.get(0).value()) && !new String(letters.get(0).value(), StandardCharsets.UTF_8).contains("not avro"));
        assertArrayEquals(garbage, written.deadLetterValue(letters.get(0).headers(), letters.get(0).value()).orElseThrow());
        assertArrayEquals(truncated, written.deadLetterValue(letters.get(3).headers(), letters.get(3).value()).orElseThrow());
        assertTrue(header(letters.get(3), DeadLetterSeal.KEY_HEADER).matches("mla\\.requests\\.dlq/\\d{13}/mla\\.requests-0@3"),
                "named by its topic, when it was written and where it came from: " + header(letters.get(3), DeadLetterSeal.KEY_HEADER));
        assertNull(letters.get(4).value());
        assertEquals(5, written.wrapped().keySet().stream().filter(id -> id.startsWith("mla.requests.dlq/")).count(),
                "a key for each dead letter with a value");
        assertTrue(written.wrapped().containsKey("valid"), "and the decided request's data key");
        for (int offset = 0; offset < letters.size(); offset++) {
            final TestRecord<byte[], byte[]> letter = letters.get(offset);
            assertEquals("mla.requests", header(letter, DeadLetterHeaders.TOPIC));
            assertEquals("0", header(letter, DeadLetterHeaders.PARTITION));
            assertEquals(String.valueOf(offset), header(letter, DeadLetterHeaders.OFFSET));
            assertTrue(header(letter, DeadLetterHeaders.MESSAGE) != null && !header(letter, DeadLetterHeaders.MESSAGE).isBlank());
        }
        assertEquals("decode", header(letters.get(0), DeadLetterHeaders.STAGE));
        assertEquals("validate", header(letters.get(4), DeadLetterHeaders.STAGE));
        assertEquals("valid", accepted.readKeyValue().key, "the router goes on after dead letters");
    }

    @Test
    void shouldDecideARequestIdOnceAndDeadLetterItsDuplicates() {
        publishShippedTreaties();

        submit(Requests.mla("twice", "FR", Measure.SEARCH).build());
        submit(Requests.extradition("twice", "FR").build());
        submit(Requests.mla(" ", "FR", Measure.SEARCH).build());
        submit(Requests.mla(" ", "FR", Measure.SEARCH).build());

        assertEquals("twice", accepted.readKeyValue().key);
        assertTrue(refused.isEmpty(), "the duplicate is not decided");
        final TestRecord<byte[], byte[]> letter = deadLetters.readRecord();
        assertEquals("twice", new String(letter.key(), StandardCharsets.UTF_8));
        assertEquals("DUPLICATE_REQUEST_ID", header(letter, DeadLetterHeaders.REASON));
        assertTrue(header(letter, DeadLetterSeal.KEY_HEADER).endsWith("/mla.requests-0@1/twice"), "its key names the request it duplicates");
        assertEquals(2, needsReview.readRecordsToList().size(), "blank ids are not duplicates: each is reviewed as incomplete");
    }

    @Test
    void shouldDeadLetterARequestTooLargeForItsDecision() {
        publishShippedTreaties();
        final String huge = "x".repeat(config.maxRequestBytes());

        submit(Requests.mla("huge", "FR", Measure.SEARCH).setOffence(Requests.offence(org.mlarouter.avro.OffenceCategory.FRAUD)
                .setDescription(huge).build()).build());

        final TestRecord<byte[], byte[]> letter = deadLetters.readRecord();
        assertEquals("huge", new String(letter.key(), StandardCharsets.UTF_8));
        assertEquals("REQUEST_TOO_LARGE", header(letter, DeadLetterHeaders.REASON));
        assertTrue(accepted.isEmpty());
    }

    @Test
    void shouldYieldExactlyOneDecisionOrDeadLetterPerInput() {
        publishShippedTreaties();
        final List<String> counterparts = List.of("FR", "VN", "US", "UZ", "CU", "IT", "DE", "KZ");
        int inputs = 0;
        for (int i = 0; i < 200; i++) {
            final String counterpart = counterparts.get(i % counterparts.size());
            if (i % 17 == 0) {
                rawRequests.pipeInput("junk-" + i, new byte[] {1, 2, 3});
            } else if (i % 3 == 0) {
                submit(Requests.extradition("r-" + i, counterpart).build());
            } else {
                submit(Requests.mla("r-" + i, counterpart, Measure.SEARCH).build());
            }
            inputs++;
        }

        final int outputs = accepted.readRecordsToList().size() + refused.readRecordsToList().size()
                + needsReview.readRecordsToList().size() + deadLetters.readRecordsToList().size();
        assertEquals(inputs, outputs);
    }

    @Test
    void shouldWriteNoPersonalDataIntoDeadLetterHeaders() {
        final AssistanceRequest request = Requests.mla("r-1", "FR", Measure.SEARCH).build();
        final byte[] valid = topics.of(TopicRole.REQUESTS, AssistanceRequest.class).valueSerde().serializer().serialize(topics.of(TopicRole.REQUESTS, AssistanceRequest.class).name(), request);

        rawRequests.pipeInput("truncated", java.util.Arrays.copyOf(valid, valid.length - 10));
        rawRequests.pipeInput("trailing", java.util.Arrays.copyOf(valid, valid.length + 10));

        final List<TestRecord<byte[], byte[]>> letters = deadLetters.readRecordsToList();
        assertEquals(2, letters.size());
        for (final TestRecord<byte[], byte[]> letter : letters) {
            for (final Header header : letter.headers()) {
                assertFalse(new String(header.value(), StandardCharsets.UTF_8).contains("Secretname"), header.key());
            }
        }
    }

    @Test
    void shouldDescribeTheNamedProcessors() {
        final String description = RouterTopology.build(config).describe().toString();

        for (final String name : List.of("requests", "decode-request", "decide", "route-accepted", "route-refused", "route-needs-review",
                "request-undecodable", "id-duplicate", "applied-rejected", "applied-overdue", "review-undecodable", "treaties")) {
            assertTrue(description.contains("Processor: " + name + " ") || description.contains("Source: " + name + " "), name + " in\n" + description);
        }
        // Every outcome has a sink of its own: each topic the router writes is reached by a named branch. The record of
        // treaty changes is written by the router's API and the tools, not by the topology.
        for (final TopicRole role : TopicRole.values()) {
            if (!role.isInput() && role != TopicRole.TREATY_CHANGES) {
                assertTrue(description.matches("(?s).*Sink: to-[a-z-]+ \\(topic: " + java.util.regex.Pattern.quote(config.topic(role)) + "\\).*"),
                        role + " has a sink in\n" + description);
            }
        }
    }

    @Test
    void shouldNameEveryStoreAndInternalTopic() {
        final String description = RouterTopology.build(config).describe().toString();

        assertTrue(description.contains(RouterTopology.REQUEST_STATUS_STORE) && description.contains(RouterTopology.PENDING_REVIEWS_STORE) && description.contains(RouterTopology.COVERAGE_STORE) && description.contains(RouterTopology.AWAITING_COVERAGE_STORE),
                description);
        assertFalse(description.matches("(?s).*(KSTREAM|KTABLE|STATE-STORE)-\\d+.*"), "a generated name in\n" + description);
    }

    private static Map<String, Route> routes(final List<org.apache.kafka.streams.KeyValue<String, RoutingDecision>> decisions) {
        return decisions.stream().collect(Collectors.toMap(decision -> decision.key, decision -> decision.value.getRoute()));
    }

    private static List<ReasonCode> codes(final RoutingDecision decision) {
        return new ArrayList<>(decision.getReasons().stream().map(Reason::getCode).collect(Collectors.toList()));
    }

    private static String header(final TestRecord<byte[], byte[]> record, final String key) {
        return DeadLetterHeaders.text(record.headers(), key);
    }
}
