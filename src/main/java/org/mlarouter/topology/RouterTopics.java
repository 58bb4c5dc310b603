package org.mlarouter.topology;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.mlarouter.avro.AssistanceRequest;
import org.mlarouter.avro.ReviewOutcome;
import org.mlarouter.avro.Route;
import org.mlarouter.avro.RoutingDecision;
import org.mlarouter.avro.TreatyCoverage;
import org.mlarouter.config.RouterConfig;
import org.mlarouter.config.TopicRole;

/**
 * The topics of {@link TopicRole} as the topology uses them: each with its configured name and its serdes. Keys are
 * UTF-8 strings; values are Avro in the Confluent framing, through the serde class the configuration names (each serde
 * told the record type it must produce, so a record of another type fails to decode and becomes a dead letter); dead
 * letters are raw bytes. The value serdes hold Schema Registry clients, made from the configuration.
 */
public final class RouterTopics {

    private final Topic<String, AssistanceRequest> requests;
    private final Topic<String, TreatyCoverage> treaties;
    private final Topic<String, RoutingDecision> accepted;
    private final Topic<String, RoutingDecision> refused;
    private final Topic<String, RoutingDecision> needsReview;
    private final Topic<byte[], byte[]> deadLetters;
    private final Topic<String, ReviewOutcome> reviews;
    private final Topic<String, RoutingDecision> overdue;
    private final Topic<byte[], byte[]> reviewDeadLetters;

    private RouterTopics(final RouterConfig config) {
        final Serde<RoutingDecision> decisionSerde = config.valueSerde(RoutingDecision.class);
        this.requests = new Topic<>(config.topic(TopicRole.REQUESTS), Serdes.String(), config.valueSerde(AssistanceRequest.class));
        this.treaties = new Topic<>(config.topic(TopicRole.TREATIES), Serdes.String(), config.valueSerde(TreatyCoverage.class));
        this.accepted = new Topic<>(config.topic(TopicRole.ACCEPTED), Serdes.String(), decisionSerde);
        this.refused = new Topic<>(config.topic(TopicRole.REFUSED), Serdes.String(), decisionSerde);
        this.needsReview = new Topic<>(config.topic(TopicRole.NEEDS_REVIEW), Serdes.String(), decisionSerde);
        this.deadLetters = new Topic<>(config.topic(TopicRole.DEAD_LETTERS), Serdes.ByteArray(), Serdes.ByteArray());
        this.reviews = new Topic<>(config.topic(TopicRole.REVIEWS), Serdes.String(), config.valueSerde(ReviewOutcome.class));
        this.overdue = new Topic<>(config.topic(TopicRole.REVIEWS_OVERDUE), Serdes.String(), decisionSerde);
        this.reviewDeadLetters = new Topic<>(config.topic(TopicRole.REVIEW_DEAD_LETTERS), Serdes.ByteArray(), Serdes.ByteArray());
    }

    /** The topics of a configuration, with configured serdes. */
    public static RouterTopics from(final RouterConfig config) {
        return new RouterTopics(config);
    }

    public Topic<String, AssistanceRequest> requests() {
        return requests;
    }

    public Topic<String, TreatyCoverage> treaties() {
        return treaties;
    }

    public Topic<String, RoutingDecision> accepted() {
        return accepted;
    }

    public Topic<String, RoutingDecision> refused() {
        return refused;
    }

    public Topic<String, RoutingDecision> needsReview() {
        return needsReview;
    }

    /** The decision topic of a route. */
    public Topic<String, RoutingDecision> decisions(final Route route) {
        switch (route) {
            case ACCEPTED:
                return accepted;
            case REFUSED:
                return refused;
            default:
                return needsReview;
        }
    }

    public Topic<byte[], byte[]> deadLetters() {
        return deadLetters;
    }

    public Topic<String, ReviewOutcome> reviews() {
        return reviews;
    }

    public Topic<String, RoutingDecision> overdue() {
        return overdue;
    }

    public Topic<byte[], byte[]> reviewDeadLetters() {
        return reviewDeadLetters;
    }
}
