package org.mlarouter.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.mlarouter.avro.Route;
import org.mlarouter.avro.RoutingDecision;
import org.mlarouter.clients.TopicReader;
import org.mlarouter.config.RouterConfig;
import org.mlarouter.config.TopicRole;
import org.mlarouter.serde.SpecificAvroDeserializer;

/**
 * The committed decisions of a test's router, read to the end (read_committed, no record limit): first and final
 * decisions and overdue records by request id, and the review dead letters.
 */
public final class Decisions {

    private final RouterUnderTest app;
    /** The route of each request's first decision. */
    public final Map<String, Route> firstById = new HashMap<>();
    private final Map<String, Integer> firstCounts = new HashMap<>();
    /** How many final decisions (decisions carrying a review) each reviewed request has. */
    public final Map<String, Integer> finalById = new HashMap<>();
    /** The route of each reviewed request's (last) final decision. */
    public final Map<String, Route> finalRouteById = new HashMap<>();
    /** How many overdue records each request has. */
    public final Map<String, Integer> overdueById = new HashMap<>();
    private int reviewDeadLetters;

    public Decisions(final RouterUnderTest app) {
        this.app = app;
    }

    /** Reads everything committed so far, into a new {@code Decisions}. */
    public Decisions read() {
        final Decisions read = new Decisions(app);
        final SpecificAvroDeserializer<RoutingDecision> deserializer = new SpecificAvroDeserializer<>();
        deserializer.configure(Map.of(RouterConfig.SCHEMA_REGISTRY_URL_CONFIG, app.registryUrl()), false);
        final List<String> topics = new ArrayList<>(TopicRole.decisions().stream().map(app::topic).toList());
        topics.add(app.topic(TopicRole.REVIEWS_OVERDUE));
        topics.add(app.topic(TopicRole.REVIEW_DEAD_LETTERS));
        try (KafkaConsumer<byte[], byte[]> consumer = OutputCounts.rawConsumer(app.settings())) {
            final List<TopicPartition> partitions = TopicReader.assign(consumer, topics, true);
            TopicReader.readToEnd(consumer, partitions, Duration.ofSeconds(120), record -> {
                if (record.topic().equals(app.topic(TopicRole.REVIEW_DEAD_LETTERS))) {
                    read.reviewDeadLetters++;
                    return;
                }
                final RoutingDecision decision = deserializer.deserialize(record.topic(), record.value());
                if (record.topic().equals(app.topic(TopicRole.REVIEWS_OVERDUE))) {
                    read.overdueById.merge(decision.getRequestId(), 1, Integer::sum);
                } else if (decision.getReview() != null) {
                    read.finalById.merge(decision.getRequestId(), 1, Integer::sum);
                    read.finalRouteById.put(decision.getRequestId(), decision.getRoute());
                } else {
                    read.firstById.put(decision.getRequestId(), decision.getRoute());
                    read.firstCounts.merge(decision.getRequestId(), 1, Integer::sum);
                }
            });
        }
        return read;
    }

    /**
     * Waits until each of {@code requests} requests has a first decision, {@code reviewer} has sent an outcome for each
     * one sent to review, and each outcome has a final decision; fails if the reviewer failed. Returns what is then
     * committed and how many were sent to review.
     */
    public Reviewed awaitReviewsApplied(final int requests, final Reviewer reviewer) {
        final Duration bound = Duration.ofSeconds(180);
        Await.until("a first decision for each of " + requests + " requests", bound, () -> read().firstById.size() >= requests);
        final int toReview = (int) read().firstById.values().stream().filter(route -> route == Route.NEEDS_REVIEW).count();
        Await.until("an outcome sent for each of " + toReview + " reviews", bound, () -> reviewer.sent() >= toReview);
        Await.until("a final decision for each review", bound, () -> read().finalCount() >= toReview);
        reviewer.requireNoFailure();
        return new Reviewed(read(), toReview);
    }

    /** What {@link #awaitReviewsApplied} found: the decisions committed, and how many requests were sent to review. */
    public record Reviewed(Decisions read, int toReview) {
    }

    /** How many first decisions request {@code id} has. */
    public int firstCount(final String id) {
        return firstCounts.getOrDefault(id, 0);
    }

    /** Final decisions, all requests together. */
    public int finalCount() {
        return finalById.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Review outcomes that went to the review dead-letter topic. */
    public int reviewDeadLetters() {
        return reviewDeadLetters;
    }

    /** The ids among {@code ids} without exactly one first decision. */
    public List<String> notDecidedOnce(final List<String> ids) {
        return ids.stream().filter(id -> firstCount(id) != 1).toList();
    }

    /** The reviewed requests with other than exactly one final decision. */
    public List<String> finalNotOnce() {
        return finalById.entrySet().stream().filter(entry -> entry.getValue() != 1).map(Map.Entry::getKey).toList();
    }
}
