package org.mlarouter.serde;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.Encoder;

/**
 * The Avro body the thread's latest decoded record came from, so that a record embedding that very object (a decision
 * embeds its request) is written by copying the bytes instead of encoding the object again. Only when the writer's
 * schema encodes exactly as the embedding field's schema (the same Parsing Canonical Form), so the copy is the request
 * exactly as the agency wrote it and a valid encoding under the decision's schema; otherwise, or for any other object,
 * the field is encoded as usual.
 *
 * <p>One slot per thread: Kafka Streams decodes a record, decides it and writes the decision on one thread before it
 * takes the next, and the slot is matched by identity, so a stale slot only means an ordinary encode. The slot holds the
 * record's byte array until the thread decodes the next one.
 */
final class RawBodies {

    private static final ThreadLocal<Slot> LAST = ThreadLocal.withInitial(Slot::new);
    private static final Map<Schema, Long> FINGERPRINTS = new ConcurrentHashMap<>();

    private static final class Slot {
        Object record;
        long writerFingerprint;
        byte[] data;
        int offset;
        int length;
    }

    private RawBodies() {
    }

    /** Remembers that {@code record} was decoded from {@code length} bytes of {@code data} at {@code offset}, written with {@code writer}. */
    static void remember(final Object record, final Schema writer, final byte[] data, final int offset, final int length) {
        final Slot slot = LAST.get();
        slot.record = record;
        slot.writerFingerprint = fingerprint(writer);
        slot.data = data;
        slot.offset = offset;
        slot.length = length;
    }

    /**
     * Writes {@code value}, the value of a field of schema {@code fieldSchema}, as the bytes it was decoded from, if it
     * is the thread's latest decoded record and they encode it under {@code fieldSchema}; returns whether it did.
     */
    static boolean writeIfDecodedAs(final Object value, final Schema fieldSchema, final Encoder out) throws IOException {
        final Slot slot = LAST.get();
        if (value == null || slot.record != value || slot.writerFingerprint != fingerprint(fieldSchema)) {
            return false;
        }
        out.writeFixed(slot.data, slot.offset, slot.length);
        return true;
    }

    /** Forgets the thread's record (tests). */
    static void forget() {
        LAST.remove();
    }

    private static long fingerprint(final Schema schema) {
        return FINGERPRINTS.computeIfAbsent(schema, SchemaNormalization::parsingFingerprint64);
    }
}
