package org.mlarouter.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlarouter.avro.AssistanceRequest;
import org.mlarouter.avro.Measure;
import org.mlarouter.avro.Person;
import org.mlarouter.avro.PersonRole;
import org.mlarouter.avro.Route;
import org.mlarouter.avro.RoutingDecision;
import org.mlarouter.avro.TreatyCoverage;
import org.mlarouter.config.ReviewKeys;
import org.mlarouter.config.RouterConfig;
import org.mlarouter.config.TopicRole;
import org.mlarouter.privacy.FieldCipher;
import org.mlarouter.privacy.PersonalData;
import org.mlarouter.serde.MockSchemaRegistry;
import org.mlarouter.testing.KeysTopic;
import org.mlarouter.testing.Requests;
import org.mlarouter.testing.SigningKeys;
import org.mlarouter.treaty.TreatyTable;

/**
 * Issue 23, items 3 and 4, in the topology: in encrypted mode every place the router writes a request's personal data
 * (docs/personal-data.md) holds ciphertext only, and once the request is erased (its key and its dead letters' keys
 * deleted from the keys topic, as {@code erase} does) none of it can be decrypted, while another request's still can.
 * Dead letters' keys are deleted once they are older than their topic's retention.
 */
class PersonalDataErasureTest {

    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private static final String ERASED_NAME = "Zarina Erasable-Witness";
    private static final String ERASED_DESCRIPTION = "Erasable description of an offence";

    @TempDir
    Path stateDir;

    private final String scope = "erasure-test-" + UUID.randomUUID();
    private final RouterConfig config = new RouterConfig(withKeys(Map.of(RouterConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://" + scope,
            ReviewKeys.REVIEW_CHECK_INTERVAL_CONFIG, "1m",
            // Dead letters kept longer than the reviews' deadline here, so the erasure, not the retention, deletes its key.
            TopicRole.DEAD_LETTERS.retentionKey(), "60d")));
    private final RouterTopics topics = RouterTopics.from(config);
    private TopologyTestDriver driver;
    private TestInputTopic<String, AssistanceRequest> requests;
    private TestInputTopic<String, byte[]> keysIn;
    private TestOutputTopic<String, byte[]> keysOut;
    private final List<TestOutputTopic<String, RoutingDecision>> decisionTopics = new ArrayList<>();
    private TestOutputTopic<byte[], byte[]> deadLetters;
    private TestOutputTopic<byte[], byte[]> repartitioned;

    private static Map<String, String> withKeys(final Map<String, String> settings) {
        final Map<String, String> all = new HashMap<>(settings);
        SigningKeys.settings().forEach(all::putIfAbsent);
        return all;
    }

    @BeforeEach
    void startDriver() {
        final Properties streamsConfig = DriverSettings.of(config, "erasure-test", stateDir, NOW);
        driver = new TopologyTestDriver(RouterTopology.build(config), streamsConfig, NOW);
        final Topic<String, AssistanceRequest> requestTopic = topics.of(TopicRole.REQUESTS, AssistanceRequest.class);
        requests = driver.createInputTopic(requestTopic.name(), Serdes.String().serializer(), requestTopic.valueSerde().serializer());
        keysIn = driver.createInputTopic(topics.raw(TopicRole.KEYS).name(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
        keysOut = driver.createOutputTopic(topics.raw(TopicRole.KEYS).name(), Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
        for (final Route route : Route.values()) {
            decisionTopics.add(output(topics.decisions(route)));
        }
        decisionTopics.add(output(topics.of(TopicRole.REVIEWS_OVERDUE, RoutingDecision.class)));
        deadLetters = driver.createOutputTopic(topics.raw(TopicRole.DEAD_LETTERS).name(), Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
        repartitioned = driver.createOutputTopic("erasure-test-" + RouterTopology.REQUESTS_BY_ID + "-repartition", Serdes.ByteArray().deserializer(),
                Serdes.ByteArray().deserializer());
        final Topic<String, TreatyCoverage> treaties = topics.of(TopicRole.TREATIES, TreatyCoverage.class);
        final TestInputTopic<String, TreatyCoverage> treatyInput = driver.createInputTopic(treaties.name(), Serdes.String().serializer(),
                treaties.valueSerde().serializer());
        TreatyTable.shipped("KZ").all().forEach(coverage -> treatyInput.pipeInput(coverage.getCounterpartState(), coverage));
    }

    @AfterEach
    void closeDriver() {
        driver.close();
        MockSchemaRegistry.dropScope(scope);
    }

    private TestOutputTopic<String, RoutingDecision> output(final Topic<String, RoutingDecision> topic) {
        return driver.createOutputTopic(topic.name(), Serdes.String().deserializer(), topic.valueSerde().deserializer());
    }

    private static AssistanceRequest vietnam(final String requestId, final String name, final String description) {
        return Requests.mla(requestId, "VN", Measure.SERVICE_OF_DOCUMENTS)
                .setSubjects(new ArrayList<>(List.of(new Person(name, PersonRole.WITNESS))))
                .setOffence(Requests.offence(org.mlarouter.avro.OffenceCategory.FRAUD).setDescription(description).build()).build();
    }

    @Test
    void shouldLeaveNoCopyOfAnErasedRequestReadableAnywhereTheRouterWrites() {
        final AssistanceRequest erased = vietnam("vn-erased", ERASED_NAME, ERASED_DESCRIPTION);
        final AssistanceRequest kept = vietnam("vn-kept", "Kept Witness", "Kept description");
        requests.pipeInput("agency-key", erased); // keyed otherwise: it crosses the repartition topic
        requests.pipeInput(erased.getRequestId(), erased); // a retry: a dead letter holding the same personal data
        requests.pipeInput(kept.getRequestId(), kept);
        driver.advanceWallClockTime(Duration.ofDays(30).plusMinutes(2)); // both pending reviews overdue: the overdue topic

        final List<TestRecord<String, RoutingDecision>> decisions = new ArrayList<>();
        decisionTopics.forEach(topic -> decisions.addAll(topic.readRecordsToList()));
        final List<TestRecord<byte[], byte[]>> letters = deadLetters.readRecordsToList();
        final List<TestRecord<byte[], byte[]>> moved = repartitioned.readRecordsToList();
        assertEquals(4, decisions.size(), "needs review and overdue, for each: " + decisions);
        assertEquals(1, letters.size());
        assertEquals(1, moved.size(), "the misplaced copy crossed the repartition topic");
        final KeysTopic keys = new KeysTopic().read(keysOut.readKeyValuesToList());

        // Before the erasure: ciphertext everywhere, and it reads with the keys.
        final List<String> places = new ArrayList<>();
        decisions.forEach(record -> places.add(record.value().toString()));
        letters.forEach(record -> places.add(new String(record.value(), StandardCharsets.ISO_8859_1)));
        moved.forEach(record -> places.add(new String(record.value(), StandardCharsets.ISO_8859_1)));
        places.addAll(storeContents());
        for (final String place : places) {
            assertFalse(place.contains(ERASED_NAME) || place.contains(ERASED_DESCRIPTION) || place.contains("Kept Witness"), "in clear: " + place);
        }
        assertTrue(storeContents().stream().anyMatch(value -> value.contains("vn-erased") && value.contains(FieldCipher.PREFIX)),
                "the pending-reviews store holds the sealed decision");
        for (final TestRecord<String, RoutingDecision> decision : decisions) {
            final String name = decision.key().equals("vn-erased") ? ERASED_NAME : "Kept Witness";
            assertEquals(name, opened(keys, decision.value()).getRequest().getSubjects().get(0).getFullName());
        }
        assertTrue(new String(keys.deadLetterValue(letters.get(0).headers(), letters.get(0).value()).orElseThrow(), StandardCharsets.ISO_8859_1)
                .contains(ERASED_NAME), "the dead letter opens with its own key");

        // The erasure, as the erase command writes it: the request's key's tombstone. The router deletes the keys of its
        // duplicates' dead letters and drops its own copy of the key.
        final List<String> deadLetterKeys = keys.wrapped().keySet().stream()
                .filter(id -> DeadLetterSeal.requestIdOf(id).filter("vn-erased"::equals).isPresent()).toList();
        assertEquals(1, deadLetterKeys.size(), "the duplicate's dead letter is known by its request: " + keys.wrapped().keySet());
        assertTrue(statuses().get("vn-erased").dataKey() != null, "the router's copy, before");
        keysIn.pipeInput("vn-erased", null);
        final List<KeyValue<String, byte[]>> written = keysOut.readKeyValuesToList();
        assertEquals(List.of(KeyValue.pair(deadLetterKeys.get(0), null)), written.stream().map(kv -> KeyValue.pair(kv.key, kv.value)).toList(),
                "the router deleted its dead letter's key");
        keys.read(List.of(KeyValue.pair("vn-erased", null))).read(written);

        for (final TestRecord<String, RoutingDecision> decision : decisions) {
            if (decision.key().equals("vn-erased")) {
                assertTrue(keys.wrapped().keySet().stream().noneMatch(id -> readsWith(keys, id, decision.value())),
                        "no key left opens the erased request's decision");
            } else {
                assertEquals("Kept Witness", opened(keys, decision.value()).getRequest().getSubjects().get(0).getFullName(), "the other still reads");
            }
        }
        assertTrue(keys.deadLetterValue(letters.get(0).headers(), letters.get(0).value()).isEmpty(), "its dead letter no longer opens");
        assertTrue(statuses().get("vn-erased").dataKey() == null && statuses().get("vn-erased").personalDataErased(),
                "the router's own copy of the key dropped, and the status says so");
        assertEquals("erased", statuses().get("vn-erased").toJson().get("personalData").asText());
        assertEquals("NEEDS_REVIEW", statuses().get("vn-erased").status(), "its status remains");
        assertTrue(statuses().get("vn-kept").dataKey() != null);
    }

    @Test
    void shouldDeleteTheKeyOfADeadLetterOnceItIsOlderThanItsTopicsRetention() {
        final AssistanceRequest request = vietnam("vn-twice", "Twice Submitted", "Twice described");
        requests.pipeInput(request.getRequestId(), request);
        requests.pipeInput(request.getRequestId(), request);
        driver.advanceWallClockTime(Duration.ofDays(7));
        requests.pipeInput(request.getRequestId(), request);
        final List<TestRecord<byte[], byte[]>> letters = deadLetters.readRecordsToList();
        assertEquals(2, letters.size());
        final KeysTopic keys = new KeysTopic().read(keysOut.readKeyValuesToList());
        assertTrue(keys.deadLetterValue(letters.get(0).headers(), letters.get(0).value()).isPresent());
        assertArrayEquals(keys.deadLetterValue(letters.get(0).headers(), letters.get(0).value()).orElseThrow(),
                keys.deadLetterValue(letters.get(1).headers(), letters.get(1).value()).orElseThrow(), "both the same request's bytes");

        driver.advanceWallClockTime(Duration.ofDays(53).plus(DeadLetterWriter.SWEEP_INTERVAL)); // 60 days after the first
        keys.read(keysOut.readKeyValuesToList());
        assertTrue(keys.deadLetterValue(letters.get(0).headers(), letters.get(0).value()).isEmpty(), "past the retention: its key deleted");
        assertTrue(keys.deadLetterValue(letters.get(1).headers(), letters.get(1).value()).isPresent(), "a week old: kept");
        assertTrue(keys.wrapped().containsKey("vn-twice"), "the request's own key is not a dead letter's");
    }

    private KeyValueStore<String, RequestStatus> statuses() {
        return driver.getKeyValueStore(RouterTopology.REQUEST_STATUS_STORE);
    }

    @Test
    void shouldDeleteTheKeyOfADeadLetterThatKafkaStreamsHandlerWroteOnceItsRetentionPasses() {
        // A handler's dead letter (a processing failure) has its key written beside it, with no store of the writer's to
        // note it: the router notes it when it reads it back on the keys topic.
        final String keyId = "mla.requests.dlq/" + String.format("%013d", NOW.toEpochMilli()) + "/mla.requests-0@7";
        keysIn.pipeInput(keyId, "kek-1:c2VhbGVk".getBytes(StandardCharsets.US_ASCII), NOW);
        keysOut.readKeyValuesToList();
        driver.advanceWallClockTime(Duration.ofDays(59));
        assertTrue(keysOut.isEmpty(), "kept within the retention");

        driver.advanceWallClockTime(Duration.ofDays(1).plus(DeadLetterWriter.SWEEP_INTERVAL));

        assertEquals(List.of(KeyValue.pair(keyId, null)), keysOut.readKeyValuesToList().stream().map(kv -> KeyValue.pair(kv.key, kv.value)).toList());
    }

    /** The values of the stores that hold decisions, as text. */
    private List<String> storeContents() {
        final List<String> values = new ArrayList<>();
        final KeyValueStore<String, Decided> pending = driver.getKeyValueStore(RouterTopology.PENDING_REVIEWS_STORE);
        try (KeyValueIterator<String, Decided> all = pending.all()) {
            all.forEachRemaining(entry -> values.add(entry.key + " " + entry.value.decision()));
        }
        final KeyValueStore<String, RequestStatus> statuses = driver.getKeyValueStore(RouterTopology.REQUEST_STATUS_STORE);
        try (KeyValueIterator<String, RequestStatus> all = statuses.all()) {
            all.forEachRemaining(entry -> values.add(entry.key + " " + entry.value));
        }
        return values;
    }

    private static RoutingDecision opened(final KeysTopic keys, final RoutingDecision decision) {
        return PersonalData.open(decision, SigningKeys.keyEncryptionKeys().unwrap(decision.getRequestId(),
                keys.wrapped().get(decision.getRequestId())));
    }

    private static boolean readsWith(final KeysTopic keys, final String keyId, final RoutingDecision decision) {
        try {
            PersonalData.open(decision, SigningKeys.keyEncryptionKeys().unwrap(keyId, keys.wrapped().get(keyId)));
            return true;
        } catch (final FieldCipher.UndecryptableException e) {
            return false;
        }
    }
}
