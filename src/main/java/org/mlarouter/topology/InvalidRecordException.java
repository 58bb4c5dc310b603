package org.mlarouter.topology;

/**
 * A request record that decoded but cannot be routed: no value at all, or a value of another type. Thrown inside the
 * topology so that Kafka Streams' processing exception handler sends the original bytes to the dead-letter topic.
 */
public final class InvalidRecordException extends RuntimeException {

    private final DeadLetterReason reason;

    public InvalidRecordException(final DeadLetterReason reason, final String message) {
        super(message);
        this.reason = reason;
    }

    public DeadLetterReason reason() {
        return reason;
    }
}
