package org.mlarouter.serde;

import org.apache.kafka.common.errors.RetriableException;

/**
 * The Schema Registry could not be reached or did not answer in time, or answered with a server error. The record
 * being read or written is not at fault: the router does not dead-letter it, it fails the task so the record is
 * processed again once the registry is back.
 */
public class SchemaRegistryUnavailableException extends RetriableException {

    public SchemaRegistryUnavailableException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
