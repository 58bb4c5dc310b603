package org.mlarouter.topology;

import java.util.Map;

/**
 * Told of every dead letter, by topic and reason (never by content), so that operators can count them. Kafka Streams
 * creates the exception handlers itself, so a listener reaches them as an object in the Streams configuration under
 * {@link #CONFIG}.
 */
@FunctionalInterface
public interface DeadLetterListener {

    /** The Streams configuration key under which a listener instance is passed to the handlers. */
    String CONFIG = "mla.dead.letter.listener";

    /** A listener that does nothing. */
    DeadLetterListener NONE = (sourceTopic, reason) -> { };

    void onDeadLetter(String sourceTopic, DeadLetterReason reason);

    /** A review outcome went to the review dead-letter topic. */
    default void onReviewDeadLetter(final DeadLetterReason reason) {
    }

    /** The listener in a handler's configuration, or {@link #NONE}. */
    static DeadLetterListener from(final Map<String, ?> configs) {
        final Object listener = configs.get(CONFIG);
        return listener instanceof DeadLetterListener ? (DeadLetterListener) listener : NONE;
    }
}
