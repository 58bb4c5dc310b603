package org.mlarouter.topology;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.mlarouter.avro.AssistanceRequest;
import org.mlarouter.avro.ReviewOutcome;
import org.mlarouter.avro.Route;
import org.mlarouter.avro.RoutingDecision;
import org.mlarouter.avro.TreatyCoverage;
import org.mlarouter.config.RouterConfig;
import org.mlarouter.config.TopicRole;
import org.mlarouter.privacy.KeyEncryptionKeys;
import org.mlarouter.privacy.SealedBytes;
import org.mlarouter.serde.PlainAvroSerde;
import org.mlarouter.treaty.CoverageValidator;

/**
 * Builds the router's topology from its configuration: a pure function that creates no Kafka clients or threads, asks
 * the broker nothing and does no I/O (its value serdes hold Schema Registry clients, which are made and connect only
 * when a record needs a schema), so tests drive the very same topology. What only a running router knows reaches the
 * processors in a {@link RouterContext}.
 *
 * <pre>
 *   mla.treaties ─ treaties-source ─ treaties → global store treaty-coverage (decoded, validated: {@link CoverageStore})
 *   mla.requests ─ decode-request ┬ request-undecodable ─────────────────────────────────────── dead letter (1)
 *                                 ├ request-in-place ──────────────────────────────────────┐
 *                                 └ request-misplaced ─ requests-by-id (repartition)       │
 *                                   ─ decode-moved-request ┬ moved-request-undecodable ─── dead letter (1)
 *                                                          └ moved-request-decoded ────────┴ check-duplicate
 *                ┬ id-duplicate ─ dead letter (1)
 *                └ id-new ─ decide (coverage from treaty-coverage; (3)) ─ record-decision ──────────────────┐
 *                                              (4) with-data-key ─ data-key → mla.keys ┘                        │
 *   mla.keys     ─ keep-data-keys (4): an erasure drops the status's key → mla.keys (its dead letters' keys)  │
 *   mla.reviews  ─ decode-review, as the requests: review-undecodable and moved-review-undecodable ─ dead letter (2)
 *                ─ apply-review ┬ applied-rejected ─ dead letter (2)                                        │
 *                               ├ applied-overdue (wall clock) → mla.reviews.overdue                        │
 *                               └ applied-final ─────────────────────────────────────────── all-decisions ┘
 *                ─ count-decision ─ route- ┬ route-accepted     → mla.decisions.accepted
 *                                          ├ route-refused      → mla.decisions.refused
 *                                          └ route-needs-review → mla.decisions.needs-review (default)
 *   (1) merged ─ write-dead-letters → mla.requests.dlq; (2) merged ─ write-review-dead-letters → mla.reviews.dlq
 *   (3) a request whose counterpart's coverage waits for the Schema Registry waits in requests-awaiting-coverage
 *   (4) encrypted mode: personal fields sealed with a data key per request, its wrapped copy in mla.keys and the status;
 *       dead letters sealed with keys of their own (DeadLetterSeal), misplaced records sealed across the repartition topics
 * </pre>
 *
 * <p>A rejection is a value ({@link Verdict}, {@link DeadLetter}), so each is a branch of the topology and its dead
 * letter commits with the transaction; Kafka Streams' exception handlers are left for what the router does not expect.
 *
 * <p>Every copy of a request id meets in one task: a request or outcome that is not on the partition Kafka's default
 * partitioner gives its request id (another key, none, or another partitioner) goes through a repartition topic keyed by
 * request id; one already in place goes straight on. The task's request-status store then serves duplicate detection,
 * the review loop, overdue reviews and status queries, and forgets each id after {@code mla.request.retention}.
 *
 * <p>The treaty topic is read whole by every instance (a global store), so requests need no repartitioning by
 * counterpart; a change published to {@code mla.treaties} applies to the next request without a restart, and a record
 * that fails validation is refused (the good one stays). Coverage is decoded once per change, into the global
 * {@link CoverageStore}, and each decision records the coverage revision it used. A request whose counterpart's
 * coverage is being replaced (an update waits for the Schema Registry) waits in {@code requests-awaiting-coverage}
 * and is decided on the new coverage.
 */
public final class RouterTopology {

    /** The global store of the coverage in force per counterpart, decoded and validated ({@link CoverageStore}). */
    public static final String COVERAGE_STORE = "treaty-coverage";
    /** The status of each request by id ({@link RequestStatus}; changelog {@code <application.id>-request-status-changelog}). */
    public static final String REQUEST_STATUS_STORE = "request-status";
    /** Encrypted mode: the key id of each dead letter of the task, with the request it duplicates, until its retention passes. */
    public static final String DEAD_LETTER_KEYS_STORE = "dead-letter-keys";
    /** The NEEDS_REVIEW decision of each request pending review, by id; deleted when its review ends. */
    public static final String PENDING_REVIEWS_STORE = "pending-reviews";
    /** Review outcomes that arrived before their request was decided ({@link AwaitingOutcome}), by request id. */
    public static final String AWAITING_REQUEST_STORE = "outcomes-awaiting-request";
    /** Requests waiting for their counterpart's coverage to be current ({@link AwaitingCoverage}), by request id. */
    public static final String AWAITING_COVERAGE_STORE = "requests-awaiting-coverage";
    /** The repartition topics that bring misplaced records to their request id's partition ({@code <application.id>-<name>-repartition}). */
    public static final String REQUESTS_BY_ID = "requests-by-id";
    public static final String REVIEWS_BY_ID = "reviews-by-id";
    /** The processors of the review loop: a record failing unexpectedly in one goes to the review dead-letter topic. */
    static final java.util.Set<String> REVIEW_STEPS = java.util.Set.of("decode-review", "decode-moved-review", ReviewDesk.NAME);

    private RouterTopology() {
    }

    /** The topology of a configuration. */
    public static Topology build(final RouterConfig config) {
        final StreamsBuilder builder = new StreamsBuilder();
        build(builder, config);
        return builder.build();
    }

    /**
     * Adds the router to a builder, from its configuration alone: it creates no threads and asks the broker nothing.
     * What only the running router knows (its clock, the input topics' partition count, its metrics) its processors
     * read from the {@link RouterContext} in the Streams configuration when Kafka Streams initializes them.
     */
    public static void build(final StreamsBuilder builder, final RouterConfig config) {
        final RouterTopics topics = RouterTopics.from(config);
        final Topic<String, TreatyCoverage> treaties = topics.of(TopicRole.TREATIES, TreatyCoverage.class);

        // A global store rather than a GlobalKTable: its processor hands each record to the coverage store, which refuses
        // invalid ones, so a bad record on the treaty topic never replaces a good one. Records are read as bytes and
        // decoded there, once per change, so the global thread never waits on the Schema Registry.
        builder.addGlobalStore(
                CoverageStore.builder(COVERAGE_STORE, new CoverageValidator(config.homeState()), treaties.valueSerde().deserializer(),
                        treaties.name(), config.schemaRegistryUrl()),
                treaties.name(),
                // Kafka Streams names the source treaties-source and the global processor treaties.
                Consumed.with(treaties.keySerde(), Serdes.ByteArray()).withName("treaties"),
                CoverageUpdater::new);

        // RocksDB unless dsl.store.suppliers.class says otherwise; cached only if statestore.cache.max.bytes is set above 0.
        builder.addStateStore(StoreSuppliers.keyValueStore(config, REQUEST_STATUS_STORE, RequestStatus.serde()));
        builder.addStateStore(StoreSuppliers.keyValueStore(config, PENDING_REVIEWS_STORE, Decided.storeSerde()));
        builder.addStateStore(StoreSuppliers.keyValueStore(config, AWAITING_REQUEST_STORE, AwaitingOutcome.serde()));
        builder.addStateStore(StoreSuppliers.keyValueStore(config, AWAITING_COVERAGE_STORE, AwaitingCoverage.serde()));
        builder.addStateStore(StoreSuppliers.keyValueStore(config, DEAD_LETTER_KEYS_STORE, Serdes.String()));
        final RequestProgress progress = new RequestProgress();

        final List<KStream<String, DeadLetter>> requestDeadLetters = new ArrayList<>();
        final KStream<String, Verdict<Placed<AssistanceRequest>>> requests = byRequestId(builder, topics.of(TopicRole.REQUESTS, AssistanceRequest.class),
                AssistanceRequest.class, AssistanceRequest::getRequestId, config, "request", REQUESTS_BY_ID,
                requestDeadLetters);
        final Map<String, KStream<String, Verdict<Placed<AssistanceRequest>>>> checked = requests
                .processValues(() -> new DuplicateGuard(progress), Named.as(DuplicateGuard.NAME), REQUEST_STATUS_STORE, AWAITING_COVERAGE_STORE)
                .split(Named.as("id-"))
                .branch((key, verdict) -> verdict.rejected(), Branched.as("duplicate"))
                .defaultBranch(Branched.as("new"));
        requestDeadLetters.add(checked.get("id-duplicate").mapValues(Verdict::deadLetter, Named.as("duplicate-dead-letter")));
        final KStream<String, Decided> firstDecisions = checked.get("id-new")
                .process(() -> new DecideProcessor(config, progress), Named.as(DecideProcessor.NAME), AWAITING_COVERAGE_STORE)
                .processValues(() -> new RecordDecision(progress), Named.as("record-decision"), REQUEST_STATUS_STORE, PENDING_REVIEWS_STORE);
        // Encrypted mode: each request's data key, wrapped, on the compacted keys topic (in the same transaction as its decision).
        final Topic<byte[], byte[]> keys = topics.raw(TopicRole.KEYS);
        firstDecisions.filter((requestId, decided) -> decided.wrappedKey() != null, Named.as("with-data-key"))
                .mapValues(Decided::wrappedKey, Named.as("data-key"))
                .to(keys.name(), Produced.with(Serdes.String(), Serdes.ByteArray()).withName("to-keys"));
        // The router's own copy of each wrapped key is in the request's status; the keys topic, read on each request id's
        // partition, brings it erasures (tombstones) and the keys of requests decided before it kept them there.
        if (config.personalDataEncrypted()) {
            builder.stream(keys.name(), Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("keys"))
                    .process(() -> new DataKeyKeeper(config), Named.as(DataKeyKeeper.NAME), REQUEST_STATUS_STORE, DEAD_LETTER_KEYS_STORE)
                    .to(keys.name(), Produced.with(Serdes.String(), Serdes.ByteArray()).withName("to-keys-of-erased-dead-letters"));
        }

        final List<KStream<String, DeadLetter>> reviewDeadLetters = new ArrayList<>();
        final KStream<String, Verdict<Placed<ReviewOutcome>>> reviews = byRequestId(builder, topics.of(TopicRole.REVIEWS, ReviewOutcome.class),
                ReviewOutcome.class, ReviewOutcome::getRequestId, config, "review", REVIEWS_BY_ID,
                reviewDeadLetters);
        final Map<String, KStream<String, ReviewDesk.Outgoing>> applied = reviews
                .process(() -> new ReviewDesk(config, progress), Named.as(ReviewDesk.NAME),
                        REQUEST_STATUS_STORE, PENDING_REVIEWS_STORE, AWAITING_REQUEST_STORE)
                .split(Named.as("applied-"))
                .branch((requestId, outgoing) -> outgoing.isRejected(), Branched.as("rejected"))
                .branch((requestId, outgoing) -> outgoing.overdue(), Branched.as("overdue"))
                .defaultBranch(Branched.as("final"));
        reviewDeadLetters.add(applied.get("applied-rejected").mapValues(ReviewDesk.Outgoing::deadLetter, Named.as("rejected-outcome-dead-letter")));
        final Topic<String, RoutingDecision> overdue = topics.of(TopicRole.REVIEWS_OVERDUE, RoutingDecision.class);
        applied.get("applied-overdue").mapValues(ReviewDesk.Outgoing::decision, Named.as("overdue-decision"))
                .to(overdue.name(), overdue.produced("to-reviews-overdue"));
        final KStream<String, Decided> finalDecisions = applied.get("applied-final")
                .mapValues(outgoing -> new Decided(outgoing.decision(), null), Named.as("final-decision"));

        // Keyed by request id already: a record is in place only when its key is its id, and a moved one is keyed by it.
        final KStream<String, Decided> decisions = firstDecisions.merge(finalDecisions, Named.as("all-decisions"))
                .processValues(CountDecision::new, Named.as("count-decision"));

        // The decision topics copy each request's bytes into its decision when they can (Decided.topicSerde).
        final Serde<Decided> decisionSerde = Decided.topicSerde(topics.decisions(Route.ACCEPTED).valueSerde());
        decisions.split(Named.as("route-"))
                .branch((requestId, decided) -> decided.decision().getRoute() == Route.ACCEPTED, Branched.withConsumer(accepted ->
                        accepted.to(topics.decisions(Route.ACCEPTED).name(), Produced.with(Serdes.String(), decisionSerde).withName("to-accepted")),
                        "accepted"))
                .branch((requestId, decided) -> decided.decision().getRoute() == Route.REFUSED, Branched.withConsumer(refused ->
                        refused.to(topics.decisions(Route.REFUSED).name(), Produced.with(Serdes.String(), decisionSerde).withName("to-refused")),
                        "refused"))
                .defaultBranch(Branched.withConsumer(review -> review.to(topics.decisions(Route.NEEDS_REVIEW).name(),
                        Produced.with(Serdes.String(), decisionSerde).withName("to-needs-review")), "needs-review"));

        writeDeadLetters(requestDeadLetters, config, TopicRole.DEAD_LETTERS, "dead-letters");
        writeDeadLetters(reviewDeadLetters, config, TopicRole.REVIEW_DEAD_LETTERS, "review-dead-letters");
    }

    /**
     * An input topic's records, decoded, each on the partition of its request id: those already there go straight on,
     * the others (their original bytes) through a repartition topic keyed by request id, decoded again after it. A record
     * that cannot be decoded is added to {@code deadLetters}, at either step; the stream returned holds the others (each
     * verdict a pass).
     */
    private static <T> KStream<String, Verdict<Placed<T>>> byRequestId(final StreamsBuilder builder, final Topic<String, ?> topic, final Class<T> type,
                                                             final java.util.function.Function<T, String> requestIdOf,
                                                             final RouterConfig config, final String what, final String repartitionName,
                                                             final List<KStream<String, DeadLetter>> deadLetters) {
        final Deserializer<?> deserializer = topic.valueSerde().deserializer();
        final Map<String, KStream<String, Verdict<Placed<T>>>> placed = builder
                .stream(topic.name(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(what + "s"))
                .process(() -> new DecodeProcessor<>(deserializer, type, requestIdOf, config.maxRequestBytes(),
                        RouterConfig.MAX_REQUEST_BYTES_CONFIG, "decode-" + what), Named.as("decode-" + what))
                .split(Named.as(what + "-"))
                .branch((key, verdict) -> verdict.rejected(), Branched.as("undecodable"))
                .branch((key, verdict) -> verdict.value().inPlace(), Branched.as("in-place"))
                .defaultBranch(Branched.as("misplaced"));
        deadLetters.add(placed.get(what + "-undecodable").mapValues(Verdict::deadLetter, Named.as(what + "-dead-letter")));
        // In encrypted mode the original bytes cross the repartition topic sealed (SealedBytes), opened on the other side.
        final java.util.Optional<KeyEncryptionKeys> keys = config.keyEncryptionKeys();
        KStream<byte[], byte[]> byId = placed.get(what + "-misplaced")
                .map((key, verdict) -> KeyValue.pair(requestIdOf.apply(verdict.value().value()).getBytes(StandardCharsets.UTF_8),
                        keys.isEmpty() ? verdict.value().original() : SealedBytes.seal(keys.get(), repartitionName, verdict.value().original())),
                        Named.as("key-" + what + "-by-id"))
                // Keyed by the request id's UTF-8 bytes: the partition Kafka's default partitioner gives the id as a string key.
                .repartition(Repartitioned.<byte[], byte[]>as(repartitionName).withKeySerde(Serdes.ByteArray()).withValueSerde(Serdes.ByteArray()));
        if (keys.isPresent()) {
            byId = byId.mapValues(sealed -> SealedBytes.open(keys.get(), repartitionName, sealed), Named.as("open-moved-" + what));
        }
        final Map<String, KStream<String, Verdict<Placed<T>>>> moved = byId
                .process(() -> new DecodeProcessor<>(deserializer, type, requestIdOf, Integer.MAX_VALUE,
                        RouterConfig.MAX_REQUEST_BYTES_CONFIG, "decode-moved-" + what), Named.as("decode-moved-" + what))
                .split(Named.as("moved-" + what + "-"))
                .branch((key, verdict) -> verdict.rejected(), Branched.as("undecodable"))
                .defaultBranch(Branched.as("decoded"));
        deadLetters.add(moved.get("moved-" + what + "-undecodable").mapValues(Verdict::deadLetter, Named.as("moved-" + what + "-dead-letter")));
        return placed.get(what + "-in-place").merge(moved.get("moved-" + what + "-decoded"), Named.as(what + "s-by-id"));
    }

    /**
     * Merges the dead letters of one input and writes them to its dead-letter topic: raw bytes, with their headers; in
     * encrypted mode the value sealed, and its key to the keys topic ({@link DeadLetterSeal}).
     */
    private static void writeDeadLetters(final List<KStream<String, DeadLetter>> deadLetters, final RouterConfig config, final TopicRole role,
                                         final String name) {
        KStream<String, DeadLetter> all = deadLetters.get(0);
        for (int i = 1; i < deadLetters.size(); i++) {
            all = all.merge(deadLetters.get(i), Named.as("merge-" + name + "-" + i));
        }
        final String topic = config.topic(role);
        final KStream<byte[], byte[]> written = all.process(() -> new DeadLetterWriter(role == TopicRole.REVIEW_DEAD_LETTERS, topic,
                DeadLetterSeal.of(config), config.topicRetention(role).orElseThrow(), "to-" + name, "to-" + name + "-keys"),
                Named.as("write-" + name), DEAD_LETTER_KEYS_STORE);
        written.to(topic, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("to-" + name));
        if (config.personalDataEncrypted()) {
            written.to(config.topic(TopicRole.KEYS), Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("to-" + name + "-keys"));
        }
    }

    /**
     * The Streams settings the topology relies on: the dead-letter handlers and topic, and exactly-once v2. Callers add
     * {@code application.id}, {@code bootstrap.servers} and whatever else they need, and may override the guarantee.
     */
    @SuppressWarnings("deprecation") // processing.exception.handler.global.enabled: deprecated in 4.4, on by default in 5.0
    public static Map<String, Object> requiredStreamsConfig(final RouterConfig config) {
        final Map<String, Object> streamsConfig = new HashMap<>();
        streamsConfig.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // Every store and internal topic is named in build(); this makes Kafka Streams refuse a topology that is not.
        streamsConfig.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        // Kafka 4.3 and 4.4 ask for this (a warning at start without it; deprecated in 4.4 because it becomes the fixed
        // behaviour in 5.0): the processing handler covers the global thread too. The coverage store handles every treaty
        // record itself, so nothing is expected to reach it from there.
        streamsConfig.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        // Kafka Streams' partition assignor reads its settings back from the main consumer's, which would lack this key
        // and log a warning at every start (Kafka 4.3.1).
        streamsConfig.put(StreamsConfig.mainConsumerPrefix(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG), true);
        streamsConfig.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class);
        streamsConfig.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProductionHandler.class);
        streamsConfig.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, config.topic(TopicRole.DEAD_LETTERS));
        streamsConfig.put(DeadLetterRouting.REVIEW_TOPIC_CONFIG, config.topic(TopicRole.REVIEW_DEAD_LETTERS));
        // Encrypted mode: the handlers seal their dead letters as the topology does (an object, as the router context is).
        DeadLetterSeal.of(config).ifPresent(seal -> streamsConfig.put(DeadLetterSeal.CONFIG, seal));
        return streamsConfig;
    }
}
