package org.mlarouter.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Which dead-letter topic a record that failed unexpectedly goes to (a fault of the router, not of the record: records
 * the router rejects are dead-lettered by the topology itself). Kafka Streams' KIP-1034 support has one topic
 * ({@code mla.requests.dlq}); a record that failed in a step of the review loop ({@link RouterTopology#REVIEW_STEPS})
 * goes to the review dead-letter topic instead, named in the Streams configuration under {@link #REVIEW_TOPIC_CONFIG}.
 */
final class DeadLetterRouting {

    /** Streams configuration key: the review dead-letter topic. */
    static final String REVIEW_TOPIC_CONFIG = "mla.dead.letter.review.topic";

    private final String reviewDeadLetters;

    private DeadLetterRouting(final String reviewDeadLetters) {
        this.reviewDeadLetters = reviewDeadLetters;
    }

    static DeadLetterRouting from(final Map<String, ?> configs) {
        final Object topic = configs.get(REVIEW_TOPIC_CONFIG);
        return new DeadLetterRouting(topic == null ? null : topic.toString());
    }

    /** Whether the step that failed is one of the review loop's. */
    boolean isReview(final String processorNodeId) {
        return processorNodeId != null && RouterTopology.REVIEW_STEPS.contains(processorNodeId);
    }

    /** The dead letters Kafka Streams built, sent to the review dead-letter topic when a review step failed. */
    List<ProducerRecord<byte[], byte[]>> route(final String processorNodeId, final List<ProducerRecord<byte[], byte[]>> deadLetters) {
        if (!isReview(processorNodeId) || reviewDeadLetters == null) {
            return deadLetters;
        }
        final List<ProducerRecord<byte[], byte[]>> routed = new ArrayList<>(deadLetters.size());
        for (final ProducerRecord<byte[], byte[]> letter : deadLetters) {
            routed.add(new ProducerRecord<>(reviewDeadLetters, null, letter.timestamp(), letter.key(), letter.value(), letter.headers()));
        }
        return routed;
    }
}
