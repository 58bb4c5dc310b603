package org.mlarouter.serde;

/**
 * The Schema Registry answered, and the answer is no: an unknown subject, version or schema id, an invalid or
 * incompatible schema. Carries the registry's HTTP status and Confluent error code (e.g. 40403, schema not found).
 */
public class SchemaRegistryException extends RuntimeException {

    /** Confluent error code: subject not found. */
    public static final int SUBJECT_NOT_FOUND = 40401;
    /** Confluent error code: version not found. */
    public static final int VERSION_NOT_FOUND = 40402;
    /** Confluent error code: schema not found. */
    public static final int SCHEMA_NOT_FOUND = 40403;
    /** Confluent error code: subject soft-deleted (delete it permanently, or register again). */
    public static final int SUBJECT_SOFT_DELETED = 40404;
    /** Confluent error code: a subject deleted permanently before it was soft-deleted. */
    public static final int SUBJECT_NOT_SOFT_DELETED = 40405;
    /** Confluent error code: version soft-deleted already. */
    public static final int VERSION_SOFT_DELETED = 40406;
    /** Confluent error code: a version deleted permanently before it was soft-deleted. */
    public static final int VERSION_NOT_SOFT_DELETED = 40407;
    /** Confluent error code: the subject has no compatibility level of its own. */
    public static final int SUBJECT_COMPATIBILITY_NOT_CONFIGURED = 40408;
    /** Confluent error code: incompatible schema (HTTP 409). */
    public static final int INCOMPATIBLE_SCHEMA = 409;
    /** Confluent error code: invalid schema. */
    public static final int INVALID_SCHEMA = 42201;
    /** Confluent error code: invalid version. */
    public static final int INVALID_VERSION = 42202;
    /** Confluent error code: invalid compatibility level. */
    public static final int INVALID_COMPATIBILITY_LEVEL = 42203;
    /** Confluent error code: a version cannot be deleted while other schemas reference it. */
    public static final int REFERENCE_EXISTS = 42206;

    private final int status;
    private final int errorCode;

    public SchemaRegistryException(final int status, final int errorCode, final String message) {
        super(message);
        this.status = status;
        this.errorCode = errorCode;
    }

    /** The HTTP status the registry answered with. */
    public int status() {
        return status;
    }

    /** The Confluent error code, such as {@link #SCHEMA_NOT_FOUND}. */
    public int errorCode() {
        return errorCode;
    }
}
