package org.mlarouter.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
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

    private PlainAvroSerde() {
    }

    public static <T extends SpecificRecord> Serde<T> of(final Class<T> type) {
        final SpecificData model = SpecificData.getForClass(type);
        final SpecificDatumWriter<T> writer = new SpecificDatumWriter<>(model.getSchema(type), model);
        final SpecificDatumReader<T> reader = new SpecificDatumReader<>(model.getSchema(type), model.getSchema(type), model);
        final Serializer<T> serializer = (topic, record) -> {
            if (record == null) {
                return null;
            }
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
            final BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(bytes, null);
            try {
                writer.write(record, encoder);
                encoder.flush();
            } catch (final IOException e) {
                throw new SerializationException("Cannot encode a " + type.getSimpleName() + ": " + e, e);
            }
            return bytes.toByteArray();
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
