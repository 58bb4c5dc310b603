package org.mlarouter.serde;

import org.apache.avro.Schema;

/**
 * The part of the Confluent Schema Registry that serializers use. Two implementations: {@link HttpSchemaRegistryClient}
 * (the REST API) and {@link InMemorySchemaRegistry} (for {@code mock://} URLs).
 *
 * <p>Errors: {@link SchemaRegistryException} when the registry answers no (unknown subject or id, incompatible or
 * invalid schema); {@link SchemaRegistryUnavailableException} when it cannot be reached, which a caller may retry.
 */
public interface SchemaRegistryClient {

    /** Registers a schema under a subject (or finds it already there) and returns its global id. */
    int register(String subject, Schema schema);

    /** The id of a schema already registered under a subject; fails if it is not. */
    int idOf(String subject, Schema schema);

    /** The schema with the given global id. */
    Schema schemaById(int id);

    /** Where this client talks to, for error messages. */
    String describe();
}
