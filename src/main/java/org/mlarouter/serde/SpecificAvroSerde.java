package org.mlarouter.serde;

import java.util.Map;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Avro specific records in the Confluent Schema Registry wire format: a drop-in for Confluent's
 * {@code io.confluent.kafka.streams.serdes.avro.SpecificAvroSerde}, configured with the same keys
 * ({@code schema.registry.url}, {@code auto.register.schemas}, …; see {@link AvroSerdeConfig}).
 */
public final class SpecificAvroSerde<T extends SpecificRecord> implements Serde<T> {

    private SpecificAvroSerializer<T> serializer = new SpecificAvroSerializer<>();
    private SpecificAvroDeserializer<T> deserializer = new SpecificAvroDeserializer<>();

    @Override
    public void configure(final Map<String, ?> configs, final boolean isKey) {
        // One registry client for both halves, so a schema registered on write is known on read without a request.
        final AvroSerdeConfig config = new AvroSerdeConfig(configs);
        final SchemaRegistryClient registry = config.registryClient();
        serializer = new SpecificAvroSerializer<>(registry, config, isKey);
        deserializer = new SpecificAvroDeserializer<>(registry, config, isKey);
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }
}
