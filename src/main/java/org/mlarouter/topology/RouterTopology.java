package org.mlarouter.topology;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.state.Stores;
import org.mlarouter.avro.AssistanceRequest;
import org.mlarouter.avro.Route;
import org.mlarouter.avro.RoutingDecision;
import org.mlarouter.avro.TreatyCoverage;
import org.mlarouter.config.RouterConfig;
import org.mlarouter.policy.RoutingPolicy;
import org.mlarouter.treaty.CoverageValidator;

/**
 * Builds the router's topology from its configuration: a pure function that creates no Kafka clients and does no I/O
 * (its value serdes hold Schema Registry clients, which connect only when a record needs a schema), so tests drive the
 * very same topology.
 *
 * <pre>
 *   mla.treaties ─ treaties ─ update-coverage → global store treaty-records (bytes) and the CoverageBook (decoded, validated)
 *   mla.requests ─ decode-request ─ check-duplicate (store decided-request-ids) ─ decide (coverage from the CoverageBook)
 *                ─ key-by-request-id ─ count-decision ─ route- ┬ accepted     → mla.decisions.accepted
 *                                                              ├ refused      → mla.decisions.refused
 *                                                              └ needs-review → mla.decisions.needs-review (default)
 *   anything that cannot be decoded or processed                → mla.requests.dlq (Kafka Streams' KIP-1034 DLQ)
 * </pre>
 *
 * <p>The treaty topic is read whole by every instance (a global store), so requests need no repartitioning by
 * counterpart; a change published to {@code mla.treaties} applies to the next request without a restart, and a record
 * that fails validation is refused (the good one stays). Coverage is decoded once per change, into the
 * {@link CoverageBook}, and each decision records the coverage revision it used.
 */
public final class RouterTopology {

    /** The global store mirroring the treaty topic's latest bytes per counterpart (the decoded coverage is the {@link CoverageBook}). */
    public static final String TREATY_RECORDS_STORE = "treaty-records";
    /** The state store of the request ids decided so far (changelog {@code <application.id>-decided-request-ids-changelog}). */
    public static final String DECIDED_REQUEST_IDS_STORE = "decided-request-ids";

    private RouterTopology() {
    }

    /** The topology of a configuration, with a coverage book of its own and no listeners (tests, descriptions). */
    public static Topology build(final RouterConfig config, final Clock clock) {
        return build(config, clock, coverageBook(config, CoverageListener.NONE, DeadLetterListener.NONE), DecisionListener.NONE);
    }

    /**
     * The coverage book a topology of this configuration fills: decodes with the configured serde, failing at once
     * (not after a wait) when the Schema Registry cannot be reached.
     */
    public static CoverageBook coverageBook(final RouterConfig config, final CoverageListener coverageListener,
                                            final DeadLetterListener deadLetterListener) {
        final Deserializer<TreatyCoverage> deserializer = config.valueSerde(TreatyCoverage.class).deserializer();
        return new CoverageBook(new CoverageValidator(config.homeState()), deserializer, config.treatiesTopic(),
                config.schemaRegistryUrl(), coverageListener, deadLetterListener);
    }

    /**
     * The topology of a configuration.
     *
     * @param clock            the source of each decision's {@code decidedAt}
     * @param coverage         the coverage in force, which the topology keeps in step with the treaty topic
     * @param decisionListener told of each decision (for metrics)
     */
    public static Topology build(final RouterConfig config, final Clock clock, final CoverageBook coverage,
                                 final DecisionListener decisionListener) {
        final RouterTopics topics = RouterTopics.from(config);
        final RoutingPolicy policy = new RoutingPolicy(config.homeState(), clock);
        final StreamsBuilder builder = new StreamsBuilder();

        // A global store rather than a GlobalKTable: its processor hands each record to the coverage book, which refuses
        // invalid ones, so a bad record on the treaty topic never replaces a good one. Records are read as bytes and
        // decoded there, so the global thread never waits on the Schema Registry.
        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(TREATY_RECORDS_STORE), Serdes.String(), Serdes.ByteArray())
                        .withLoggingDisabled(),
                topics.treaties().name(),
                Consumed.with(topics.treaties().keySerde(), Serdes.ByteArray()).withName("treaties"),
                () -> new CoverageUpdater(coverage));

        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DECIDED_REQUEST_IDS_STORE),
                Serdes.String(), Serdes.Long()));

        // Request values are read as bytes and decoded in the topology, so a malformed one fails in processing: its
        // KIP-1034 dead letter then commits with the transaction under exactly-once, which a record skipped by the
        // deserialization handler's dead letter does not (observed with Kafka Streams 4.2.0).
        final Deserializer<AssistanceRequest> requestDeserializer = topics.requests().valueSerde().deserializer();
        final String requestTopic = topics.requests().name();
        final int maxRequestBytes = config.maxRequestBytes();
        final KStream<String, RoutingDecision> decisions = builder
                .stream(requestTopic, Consumed.with(topics.requests().keySerde(), Serdes.ByteArray()).withName("requests"))
                .mapValues(bytes -> requireRequest(requestDeserializer.deserialize(requestTopic, requireSize(bytes, maxRequestBytes))),
                        Named.as("decode-request"))
                .processValues(DuplicateGuard::new, Named.as("check-duplicate"), DECIDED_REQUEST_IDS_STORE)
                .processValues(() -> new DecideProcessor(policy, coverage), Named.as("decide"))
                .selectKey((requestId, decision) -> decision.getRequestId(), Named.as("key-by-request-id"))
                .peek((requestId, decision) -> decisionListener.onDecision(decision), Named.as("count-decision"));

        decisions.split(Named.as("route-"))
                .branch((requestId, decision) -> decision.getRoute() == Route.ACCEPTED,
                        Branched.withConsumer(accepted -> accepted.to(topics.accepted().name(), topics.accepted().produced("to-accepted")), "accepted"))
                .branch((requestId, decision) -> decision.getRoute() == Route.REFUSED,
                        Branched.withConsumer(refused -> refused.to(topics.refused().name(), topics.refused().produced("to-refused")), "refused"))
                .defaultBranch(
                        Branched.withConsumer(review -> review.to(topics.needsReview().name(), topics.needsReview().produced("to-needs-review")), "needs-review"));

        return builder.build();
    }

    /**
     * The Streams settings the topology relies on: the dead-letter handlers and topic, and exactly-once v2. Callers add
     * {@code application.id}, {@code bootstrap.servers} and whatever else they need, and may override the guarantee.
     */
    public static Map<String, Object> requiredStreamsConfig(final RouterConfig config) {
        final Map<String, Object> streamsConfig = new HashMap<>();
        streamsConfig.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // Every store and internal topic is named in build(); this makes Kafka Streams refuse a topology that is not.
        streamsConfig.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        // Kafka 4.3 asks for this now (it becomes the default in 5.0): the processing handler covers the global thread
        // too. The coverage book handles every treaty record itself, so nothing is expected to reach it from there.
        streamsConfig.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        // Kafka Streams' partition assignor reads its settings back from the main consumer's, which would lack this key
        // and log a warning at every start (Kafka 4.3.1).
        streamsConfig.put(StreamsConfig.mainConsumerPrefix(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG), true);
        streamsConfig.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterDeserializationHandler.class);
        streamsConfig.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class);
        streamsConfig.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProductionHandler.class);
        streamsConfig.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, config.deadLetterTopic());
        return streamsConfig;
    }

    private static byte[] requireSize(final byte[] bytes, final int maxRequestBytes) {
        if (bytes != null && bytes.length > maxRequestBytes) {
            throw new InvalidRecordException(DeadLetterReason.REQUEST_TOO_LARGE, "The request has " + bytes.length
                    + " bytes, more than " + RouterConfig.MAX_REQUEST_BYTES_CONFIG + " (" + maxRequestBytes + ")");
        }
        return bytes;
    }

    private static AssistanceRequest requireRequest(final Object value) {
        // Null stays null through the Avro deserializer, as in Confluent's.
        if (value == null) {
            throw new InvalidRecordException(DeadLetterReason.NULL_VALUE, "The record has no value: a request cannot be null");
        }
        if (!(value instanceof AssistanceRequest)) {
            throw new InvalidRecordException(DeadLetterReason.WRONG_TYPE, "The value is a " + value.getClass().getSimpleName()
                    + ", not an AssistanceRequest");
        }
        return (AssistanceRequest) value;
    }
}
