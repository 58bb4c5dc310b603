package org.mlarouter.topology;

/**
 * Told of every dead letter, by topic and reason (never by content), so that operators can count them. It reaches the
 * processors and the exception handlers (which Kafka Streams creates itself) in the {@link RouterContext}.
 */
@FunctionalInterface
public interface DeadLetterListener {

    /** A listener that does nothing. */
    DeadLetterListener NONE = (sourceTopic, reason) -> { };

    void onDeadLetter(String sourceTopic, DeadLetterReason reason);

    /** A review outcome went to the review dead-letter topic. */
    default void onReviewDeadLetter(final DeadLetterReason reason) {
    }
}
