package org.mlarouter.serde;

/**
 * The Confluent Schema Registry wire format: byte 0 is the magic byte {@code 0x00}, bytes 1 to 4 the schema id as a
 * big-endian int, then the Avro binary body.
 */
public final class ConfluentFraming {

    /** The magic byte that opens every framed record. */
    public static final byte MAGIC_BYTE = 0x0;
    /** Length of the magic byte and the schema id. */
    public static final int HEADER_LENGTH = 5;

    private ConfluentFraming() {
    }

    /** The schema id of a framed record; the caller has checked its length and magic byte. */
    public static int schemaId(final byte[] framed) {
        return ((framed[1] & 0xff) << 24) | ((framed[2] & 0xff) << 16) | ((framed[3] & 0xff) << 8) | (framed[4] & 0xff);
    }

    /** Writes the magic byte and schema id at the start of {@code target}. */
    public static void writeHeader(final byte[] target, final int schemaId) {
        target[0] = MAGIC_BYTE;
        target[1] = (byte) (schemaId >>> 24);
        target[2] = (byte) (schemaId >>> 16);
        target[3] = (byte) (schemaId >>> 8);
        target[4] = (byte) schemaId;
    }
}
