package org.mlarouter.topology;

import org.mlarouter.serde.MalformedRecordException;

/**
 * Why a record became a dead letter: the value of the {@value DeadLetterHeaders#REASON} header. Stable codes, for
 * dashboards and for whoever replays dead letters.
 */
public enum DeadLetterReason {
    /** Fewer bytes than the Confluent header. */
    TOO_SHORT,
    /** Not in the Confluent Schema Registry framing (wrong magic byte). */
    NOT_CONFLUENT_FRAMING,
    /** A schema id the registry does not know. */
    UNKNOWN_SCHEMA_ID,
    /** A schema that cannot be read as the topic's record type (another subject's, an incompatible one). */
    WRONG_SCHEMA,
    /** An Avro body that does not decode: truncated or corrupt. */
    MALFORMED_BODY,
    /** Bytes left over after the Avro body. */
    TRAILING_BYTES,
    /** Any other failure to deserialize the key or value. */
    UNDECODABLE,
    /** A null value: a request cannot be a tombstone. */
    NULL_VALUE,
    /** A value of another record type than the topic carries. */
    WRONG_TYPE,
    /** A request whose requestId was decided already: the first decision stands. */
    DUPLICATE_REQUEST_ID,
    /** A request larger than {@code mla.max.request.bytes}: its decision, which carries it, could not be written. */
    REQUEST_TOO_LARGE,
    /** The record decoded but processing it failed. */
    PROCESSING_FAILED,
    /** The decision (which carries the full request) is too large for the producer or the broker. */
    DECISION_TOO_LARGE,
    /** A review outcome for a request id the router has not decided (or has forgotten). */
    UNKNOWN_REQUEST,
    /** A review outcome for a request that is not pending review: already final, or never sent to review. */
    NOT_PENDING_REVIEW,
    /** A review outcome that cannot be applied: decision NEEDS_REVIEW, blank reviewer, unknown instrument as legal basis. */
    INVALID_OUTCOME,
    /** A review outcome without the router's valid signature ({@code mla.signature}): not written by the router for a signed-in person. */
    UNSIGNED_OUTCOME;

    /** The step that failed: {@code decode}, {@code validate} (a null or mistyped value) or {@code process}. */
    public String stage() {
        switch (this) {
            case NULL_VALUE:
            case WRONG_TYPE:
            case REQUEST_TOO_LARGE:
            case DUPLICATE_REQUEST_ID:
            case UNKNOWN_REQUEST:
            case NOT_PENDING_REVIEW:
            case INVALID_OUTCOME:
            case UNSIGNED_OUTCOME:
                return "validate";
            case PROCESSING_FAILED:
            case DECISION_TOO_LARGE:
                return "process";
            default:
                return "decode";
        }
    }

    /** The reason for an exception raised while deserializing or processing a record; {@code fallback} if none is known. */
    public static DeadLetterReason of(final Throwable failure, final DeadLetterReason fallback) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof MalformedRecordException) {
                return valueOf(((MalformedRecordException) cause).problem().name());
            }
            if (cause == cause.getCause()) {
                break;
            }
        }
        return fallback;
    }
}
