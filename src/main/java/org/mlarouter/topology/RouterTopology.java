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
import org.mlarouter.treaty.CoverageValidator;
import org.mlarouter.avro.AssistanceRequest;
import org.mlarouter.avro.Route;
import org.mlarouter.avro.RoutingDecision;
import org.mlarouter.policy.RoutingPolicy;

/**
 * Builds the router's topology from its configuration: a pure function that creates no clients and does no I/O, so
 * tests drive the very same topology.
 *
 * <pre>
 *   mla.treaties ─ treaties ─ update-coverage (refuses invalid records) → global store coverage-by-country
 *   mla.requests ─ decode-request ─ check-duplicate (store decided-request-ids) ─ decide (looks up coverage-by-country)
 *                ─ key-by-request-id ─ count-decision ─ route- ┬ accepted     → mla.decisions.accepted
 *                                                              ├ refused      → mla.decisions.refused
 *                                                              └ needs-review → mla.decisions.needs-review (default)
 *   anything that cannot be decoded or processed                → mla.requests.dlq (Kafka Streams' KIP-1034 DLQ)
 * </pre>
 *
 * <p>The coverage is a global store: every instance holds all of it, a change published to {@code mla.treaties}
 * applies to the next request without a restart, and a record that fails validation is refused (the good one stays).
 * Each decision records the coverage revision it used.
 */
public final class RouterTopology {

    /** The global state store of the coverage in force, by counterpart. */
    public static final String COVERAGE_STORE = "coverage-by-country";
    /** The state store of the request ids decided so far (changelog {@code <application.id>-decided-request-ids-changelog}). */
    public static final String DECIDED_REQUEST_IDS_STORE = "decided-request-ids";

    private RouterTopology() {
    }

    /**
     * The topology of a configuration.
     *
     * @param clock the source of each decision's {@code decidedAt}
     */
    public static Topology build(final RouterConfig config, final Clock clock) {
        return build(config, clock, DecisionListener.NONE);
    }

    /**
     * The topology of a configuration, telling {@code decisions} of each decision (for metrics).
     *
     * @param clock the source of each decision's {@code decidedAt}
     */
    public static Topology build(final RouterConfig config, final Clock clock, final DecisionListener decisionListener) {
        return build(config, clock, decisionListener, CoverageListener.NONE);
    }

    /**
     * The topology of a configuration, telling {@code decisionListener} of each decision and {@code coverageListener}
     * of each change to the coverage in force (for metrics).
     */
    public static Topology build(final RouterConfig config, final Clock clock, final DecisionListener decisionListener,
                                 final CoverageListener coverageListener) {
        final RouterTopics topics = RouterTopics.from(config);
        final RoutingPolicy policy = new RoutingPolicy(config.homeState(), clock);
        final StreamsBuilder builder = new StreamsBuilder();
        final CoverageCache coverageCache = new CoverageCache();

        // A global store rather than a GlobalKTable: its update processor refuses invalid coverage records, so a bad
        // record on the treaty topic never replaces a good one. Every instance holds all of it (a few hundred small
        // records at most), so requests need no repartitioning by counterpart.
        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(COVERAGE_STORE), topics.treaties().keySerde(),
                        topics.treaties().valueSerde()).withLoggingDisabled(),
                topics.treaties().name(),
                topics.treaties().consumed("treaties"),
                () -> new CoverageUpdater(new CoverageValidator(config.homeState()), coverageListener, coverageCache));

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
                .processValues(() -> new DecideProcessor(policy, coverageCache), Named.as("decide"))
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
        streamsConfig.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterDeserializationHandler.class);
        streamsConfig.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class);
        streamsConfig.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProductionHandler.class);
        streamsConfig.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, config.deadLetterTopic());
        streamsConfig.put(DeadLetterDeserializationHandler.GLOBAL_TOPIC_CONFIG, config.treatiesTopic());
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
