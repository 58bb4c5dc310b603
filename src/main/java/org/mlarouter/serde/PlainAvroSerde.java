package org.mlarouter.serde;

import java.io.IOException;

import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Avro binary of one generated class, without the Confluent framing and without a Schema Registry: for the router's
 * own state stores, which only the router reads, with the schema it was built with. Not for topics others read.
 */
public final class PlainAvroSerde {

    private static final byte[] NO_HEADER = new byte[0];

    private PlainAvroSerde() {
    }

    public static <T extends SpecificRecord> Serde<T> of(final Class<T> type) {
        final Codec<T> codec = codec(type);
        final Serializer<T> serializer = (topic, record) -> codec.encode(record, -1, null);
        final Deserializer<T> deserializer = (topic, bytes) -> codec.decode(bytes);
        return Serdes.serdeFrom(serializer, deserializer);
    }

    /** The codec of one generated class, which can copy one field from the bytes it was decoded from. */
    public static <T extends SpecificRecord> Codec<T> codec(final Class<T> type) {
        return new Codec<>(type);
    }

    /**
     * The codec of a generated class of the router's own stores that has Avro's custom coders (no logical types), with
     * them turned on for that class: its fields are written and read straight, without resolving each union against the
     * schema, which is most of the cost of a record of many optional fields.
     */
    public static <T extends SpecificRecord> Codec<T> codecWithCustomCoders(final Class<T> type) {
        GeneratedClasses.modelOf(type).setCustomCoders(true);
        return new Codec<>(type);
    }

    /** Avro binary of one generated class, both ways. Thread-safe. */
    public static final class Codec<T extends SpecificRecord> {

        private final Class<T> type;
        private final AvroBodies.Writer<T> writer;
        private final SpecificDatumReader<T> reader;
        private final java.util.Map<org.apache.avro.Schema, SpecificDatumReader<T>> earlierReaders = new java.util.concurrent.ConcurrentHashMap<>();

        private Codec(final Class<T> type) {
            final SpecificData model = GeneratedClasses.modelOf(type);
            this.type = type;
            this.writer = AvroBodies.writer(model.getSchema(type));
            this.reader = new SpecificDatumReader<>(model.getSchema(type), model.getSchema(type), model);
        }

        /** The binary of {@code record}, its field at {@code position} copied from {@code body} when it encodes it (see {@link AvroBody}). */
        public byte[] encode(final T record, final int position, final AvroBody body) {
            return encode(NO_HEADER, record, position, body);
        }

        /** {@code header} followed by the binary of {@code record}, in one new array. */
        public byte[] encode(final byte[] header, final T record) {
            return encode(header, record, -1, null);
        }

        private byte[] encode(final byte[] header, final T record, final int position, final AvroBody body) {
            if (record == null) {
                return null;
            }
            try {
                return AvroBodies.encode(writer, record, header, position, body);
            } catch (final IOException e) {
                throw new SerializationException("Cannot encode a " + type.getSimpleName() + ": " + e, e);
            }
        }

        public T decode(final byte[] bytes) {
            return bytes == null ? null : decode(bytes, 0, bytes.length);
        }

        /**
         * The record whose binary, written with an earlier version of its schema ({@code writer}), is {@code length} bytes
         * of {@code bytes} from {@code offset}; fields added since take their defaults.
         */
        public T decode(final byte[] bytes, final int offset, final int length, final org.apache.avro.Schema writer) {
            final SpecificDatumReader<T> earlier = earlierReaders.computeIfAbsent(writer,
                    schema -> new SpecificDatumReader<>(schema, reader.getExpected(), reader.getSpecificData()));
            try {
                return earlier.read(null, DecoderFactory.get().binaryDecoder(bytes, offset, length, null));
            } catch (final IOException e) {
                throw new SerializationException("Cannot decode a " + type.getSimpleName() + " of an earlier schema: " + e, e);
            }
        }

        /** The record whose binary is {@code length} bytes of {@code bytes} from {@code offset}. */
        public T decode(final byte[] bytes, final int offset, final int length) {
            try {
                return reader.read(null, DecoderFactory.get().binaryDecoder(bytes, offset, length, null));
            } catch (final IOException e) {
                throw new SerializationException("Cannot decode a " + type.getSimpleName() + ": " + e, e);
            }
        }
    }
}
