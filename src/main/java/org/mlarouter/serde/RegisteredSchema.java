package org.mlarouter.serde;

import java.util.List;

import org.apache.avro.Schema;

/**
 * One version of a subject: the subject, its version number, the global id, the schema as registered (its text, and
 * the references to types registered under other subjects), the schema resolved with those references, and whether
 * the version is soft-deleted.
 */
public record RegisteredSchema(String subject, int version, int id, String schemaText, List<SchemaReference> references,
                               Schema schema, boolean deleted) {

    public RegisteredSchema {
        references = List.copyOf(references);
    }

    /** A self-contained schema, as the router's own serializer registers it. */
    public RegisteredSchema(final String subject, final int version, final int id, final Schema schema) {
        this(subject, version, id, schema.toString(), List.of(), schema, false);
    }

    /** This version, soft-deleted. */
    public RegisteredSchema softDeleted() {
        return new RegisteredSchema(subject, version, id, schemaText, references, schema, true);
    }
}
