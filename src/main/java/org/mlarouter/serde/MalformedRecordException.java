package org.mlarouter.serde;

import org.apache.kafka.common.errors.SerializationException;

/** A record that is not a well-formed Confluent-framed Avro record of the expected type; {@link #problem()} says how. */
public final class MalformedRecordException extends SerializationException {

    /** What is wrong with the record, as a stable code for dead-letter headers and metrics. */
    public enum Problem {
        /** Fewer bytes than the 5-byte header. */
        TOO_SHORT,
        /** The first byte is not the magic byte 0x00. */
        NOT_CONFLUENT_FRAMING,
        /** The schema id is not in the registry. */
        UNKNOWN_SCHEMA_ID,
        /** The writer schema cannot be read as the expected type. */
        WRONG_SCHEMA,
        /** The Avro body does not decode: truncated or corrupt. */
        MALFORMED_BODY,
        /** Bytes are left after the Avro body. */
        TRAILING_BYTES
    }

    private final Problem problem;

    public MalformedRecordException(final Problem problem, final String message, final Throwable cause) {
        super(message, cause);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
