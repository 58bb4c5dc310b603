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
 * ({@link PlainAvroSerde}) alike: a record field holding the thread's latest decoded record is copied from the bytes it
 * came from ({@link RawBodies}); everything else goes through a buffered encoder into a buffer the thread reuses, with
 * no lock per byte.
 */
final class AvroBodies {

    private static final ThreadLocal<Output> OUTPUTS = ThreadLocal.withInitial(Output::new);

    private AvroBodies() {
    }

    /** The datum writer of {@code schema}: its generated class's model, and the copy of a decoded record's bytes. */
    @SuppressWarnings("unchecked")
    static <T> SpecificDatumWriter<T> writer(final Schema schema) {
        final Class<?> type = GeneratedClasses.classOf(schema);
        final SpecificData model = type != null && SpecificRecordBase.class.isAssignableFrom(type)
                ? GeneratedClasses.modelOf(type) : SpecificData.get();
        return new SpecificDatumWriter<>(schema, model) {
            @Override
            protected void writeField(final Object datum, final Schema.Field field, final Encoder out, final Object state) throws IOException {
                // A decision's request, embedded as decoded: its original bytes, not a second encoding (RawBodies).
                if (field.schema().getType() != Schema.Type.RECORD
                        || !RawBodies.writeIfDecodedAs(getData().getField(datum, field.name(), field.pos()), field.schema(), out)) {
                    super.writeField(datum, field, out, state);
                }
            }
        };
    }

    /** {@code header} (may be empty) followed by the Avro binary of {@code record}, in a new array. */
    static <T> byte[] encode(final SpecificDatumWriter<T> writer, final T record, final byte[] header) throws IOException {
        final Output output = OUTPUTS.get();
        output.bytes.reset();
        output.bytes.write(header, 0, header.length);
        output.encoder = EncoderFactory.get().binaryEncoder(output.bytes, output.encoder);
        writer.write(record, output.encoder);
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
