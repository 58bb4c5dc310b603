package org.mlarouter.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Which dead-letter topic a failed record goes to: Kafka Streams' KIP-1034 support has one ({@code mla.requests.dlq});
 * review outcomes, read from the review topic or its repartition topic, go to the review dead-letter topic instead.
 * The handlers get the names from the Streams configuration ({@link #REVIEW_SOURCE_CONFIG}, {@link #REVIEW_TOPIC_CONFIG}).
 */
final class DeadLetterRouting {

    /** Streams configuration key: the review topic. */
    static final String REVIEW_SOURCE_CONFIG = "mla.dead.letter.review.source";
    /** Streams configuration key: the review dead-letter topic. */
    static final String REVIEW_TOPIC_CONFIG = "mla.dead.letter.review.topic";

    private final String reviewSource;
    private final String reviewRepartition;
    private final String reviewDeadLetters;

    private DeadLetterRouting(final String reviewSource, final String reviewRepartition, final String reviewDeadLetters) {
        this.reviewSource = reviewSource;
        this.reviewRepartition = reviewRepartition;
        this.reviewDeadLetters = reviewDeadLetters;
    }

    static DeadLetterRouting from(final Map<String, ?> configs) {
        final Object applicationId = configs.get(StreamsConfig.APPLICATION_ID_CONFIG);
        final Object source = configs.get(REVIEW_SOURCE_CONFIG);
        final Object topic = configs.get(REVIEW_TOPIC_CONFIG);
        return new DeadLetterRouting(source == null ? null : source.toString(),
                applicationId + "-" + RouterTopology.REVIEWS_BY_ID + "-repartition", topic == null ? null : topic.toString());
    }

    /** Whether a record read from this topic is a review outcome. */
    boolean isReview(final String sourceTopic) {
        return sourceTopic != null && (sourceTopic.equals(reviewSource) || sourceTopic.equals(reviewRepartition));
    }

    /** The dead letters Kafka Streams built, sent to the review dead-letter topic when the source is a review topic. */
    List<ProducerRecord<byte[], byte[]>> route(final String sourceTopic, final List<ProducerRecord<byte[], byte[]>> deadLetters) {
        if (!isReview(sourceTopic) || reviewDeadLetters == null) {
            return deadLetters;
        }
        final List<ProducerRecord<byte[], byte[]>> routed = new ArrayList<>(deadLetters.size());
        for (final ProducerRecord<byte[], byte[]> letter : deadLetters) {
            routed.add(new ProducerRecord<>(reviewDeadLetters, null, letter.timestamp(), letter.key(), letter.value(), letter.headers()));
        }
        return routed;
    }
}
