package org.mlarouter.serde;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/**
 * The Avro body a record was decoded from, carried with it: the bytes (a slice of the record's value), the record they
 * decoded to, and the fingerprint of the schema they were written with (its Parsing Canonical Form). A record that
 * embeds the decoded one (a decision embeds its request) is written by copying these bytes when they encode it under
 * the embedding field's schema; see {@link SpecificAvroSerializer#serialize(String, org.apache.avro.specific.SpecificRecord,
 * int, AvroBody)}. The decoded record must not be changed afterwards: a step that changes it drops its body.
 */
public record AvroBody(Object decoded, byte[] data, int offset, int length, long writerFingerprint) {

    /** Whether these bytes are {@code value} encoded under a schema of this fingerprint. */
    boolean encodes(final Object value, final long schemaFingerprint) {
        return value == decoded && writerFingerprint == schemaFingerprint;
    }

    /** The fingerprint bodies are compared by: of the schema's Parsing Canonical Form, which ignores docs and properties. */
    public static long fingerprint(final Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }
}
