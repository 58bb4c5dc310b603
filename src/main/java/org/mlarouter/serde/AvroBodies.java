package org.mlarouter.serde;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * How the router writes an Avro body, for its topics ({@link SpecificAvroSerializer}) and its state stores
 * ({@link PlainAvroSerde}) alike: through a buffered encoder into a buffer the thread reuses, with no lock per byte;
 * and, when asked, with one field written by copying the bytes it was decoded from ({@link AvroBody}).
 */
final class AvroBodies {

    private static final ThreadLocal<Output> OUTPUTS = ThreadLocal.withInitial(Output::new);

    private AvroBodies() {
    }

    /** A datum writer that can write a record with one field copied from its body. */
    static final class Writer<T> extends SpecificDatumWriter<T> {

        private final Schema schema;
        private final long[] fieldFingerprints;

        Writer(final Schema schema, final SpecificData model) {
            super(schema, model);
            this.schema = schema;
            this.fieldFingerprints = new long[schema.getFields().size()];
            for (final Schema.Field field : schema.getFields()) {
                fieldFingerprints[field.pos()] = AvroBody.fingerprint(field.schema());
            }
        }

        /**
         * Writes {@code record}, its field at {@code position} as the bytes of {@code body} when they are that field's
         * value encoded under the field's schema; returns whether it could (else nothing is written).
         */
        boolean writeCopying(final T record, final int position, final AvroBody body, final Encoder out) throws IOException {
            final Schema.Field embedded = schema.getFields().get(position);
            if (body == null || !body.encodes(getData().getField(record, embedded.name(), position), fieldFingerprints[position])) {
                return false;
            }
            for (final Schema.Field field : schema.getFields()) {
                if (field.pos() == position) {
                    out.writeFixed(body.data(), body.offset(), body.length());
                } else {
                    writeField(record, field, out, null);
                }
            }
            return true;
        }
    }

    /** The datum writer of {@code schema}, with its generated class's model. */
    static <T> Writer<T> writer(final Schema schema) {
        final Class<?> type = GeneratedClasses.classOf(schema);
        final SpecificData model = type != null && SpecificRecordBase.class.isAssignableFrom(type)
                ? GeneratedClasses.modelOf(type) : SpecificData.get();
        return new Writer<>(schema, model);
    }

    /** {@code header} (may be empty) followed by the Avro binary of {@code record}, in a new array. */
    static <T> byte[] encode(final SpecificDatumWriter<T> writer, final T record, final byte[] header) throws IOException {
        return encode(writer, record, header, -1, null);
    }

    /**
     * {@code header} followed by the Avro binary of {@code record}, its field at {@code position} copied from
     * {@code body} when the body encodes it (else the whole record encoded), in a new array.
     */
    static <T> byte[] encode(final SpecificDatumWriter<T> writer, final T record, final byte[] header, final int position,
                             final AvroBody body) throws IOException {
        final Output output = OUTPUTS.get();
        output.bytes.reset();
        output.bytes.write(header, 0, header.length);
        output.encoder = EncoderFactory.get().binaryEncoder(output.bytes, output.encoder);
        if (body == null || !(writer instanceof Writer<T> copying) || !copying.writeCopying(record, position, body, output.encoder)) {
            writer.write(record, output.encoder);
        }
        output.encoder.flush();
        return output.bytes.toByteArray();
    }

    /** A thread's buffer and encoder, reused from record to record. */
    private static final class Output {
        final Bytes bytes = new Bytes();
        BinaryEncoder encoder;
    }

    /** A growable byte buffer without {@link java.io.ByteArrayOutputStream}'s lock on every write. */
    private static final class Bytes extends OutputStream {
        private byte[] buffer = new byte[4096];
        private int count;

        void reset() {
            count = 0;
        }

        @Override
        public void write(final int b) {
            ensure(1);
            buffer[count++] = (byte) b;
        }

        @Override
        public void write(final byte[] data, final int offset, final int length) {
            ensure(length);
            System.arraycopy(data, offset, buffer, count, length);
            count += length;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buffer, count);
        }

        private void ensure(final int more) {
            if (count + more > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, count + more));
            }
        }
    }
}
