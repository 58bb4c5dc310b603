package org.mlarouter.serde;

import java.io.IOException;

import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
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
        final SpecificData model = GeneratedClasses.modelOf(type);
        final SpecificDatumWriter<T> writer = AvroBodies.writer(model.getSchema(type));
        final SpecificDatumReader<T> reader = new SpecificDatumReader<>(model.getSchema(type), model.getSchema(type), model);
        final Serializer<T> serializer = (topic, record) -> {
            if (record == null) {
                return null;
            }
            try {
                return AvroBodies.encode(writer, record, NO_HEADER);
            } catch (final IOException e) {
                throw new SerializationException("Cannot encode a " + type.getSimpleName() + ": " + e, e);
            }
        };
        final Deserializer<T> deserializer = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return reader.read(null, DecoderFactory.get().binaryDecoder(bytes, null));
            } catch (final IOException e) {
                throw new SerializationException("Cannot decode a " + type.getSimpleName() + ": " + e, e);
            }
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
