package org.mlarouter.serde;

import org.apache.avro.Schema;

/** One version of a subject: the subject, its version number, the global id and the schema. */
public final class RegisteredSchema {

    private final String subject;
    private final int version;
    private final int id;
    private final Schema schema;

    public RegisteredSchema(final String subject, final int version, final int id, final Schema schema) {
        this.subject = subject;
        this.version = version;
        this.id = id;
        this.schema = schema;
    }

    public String subject() {
        return subject;
    }

    public int version() {
        return version;
    }

    public int id() {
        return id;
    }

    public Schema schema() {
        return schema;
    }
}
