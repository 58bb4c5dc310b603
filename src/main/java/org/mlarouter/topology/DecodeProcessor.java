package org.mlarouter.topology;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.mlarouter.serde.AvroBody;
import org.mlarouter.serde.Decoded;
import org.mlarouter.serde.SpecificAvroDeserializer;

/**
 * Decodes the value bytes of an input record into its record type, and tells whether the record sits on the partition
 * of its request id. A value that is too large, null, of another type or not decodable becomes a dead letter here, as
 * a value of the topology. A Schema Registry that cannot be reached is no fault of the record: the exception fails the
 * task, and the record is read again once the stream thread is replaced.
 */
final class DecodeProcessor<T> implements Processor<byte[], byte[], String, Verdict<Placed<T>>> {

    private final Deserializer<?> deserializer;
    private final Class<T> type;
    private final Function<T, String> requestIdOf;
    private int partitions;
    private final int maxBytes;
    private final String sizeKey;
    private final String name;
    private ProcessorContext<String, Verdict<Placed<T>>> context;

    /**
     * @param maxBytes   values larger than this are refused ({@link DeadLetterReason#REQUEST_TOO_LARGE})
     * @param sizeKey    the setting that sets {@code maxBytes}, for the message
     * @param name       the processor's name, for the dead letters' trace
     */
    DecodeProcessor(final Deserializer<?> deserializer, final Class<T> type, final Function<T, String> requestIdOf,
                    final int maxBytes, final String sizeKey, final String name) {
        this.deserializer = deserializer;
        this.type = type;
        this.requestIdOf = requestIdOf;
        this.maxBytes = maxBytes;
        this.sizeKey = sizeKey;
        this.name = name;
    }

    @Override
    public void init(final ProcessorContext<String, Verdict<Placed<T>>> context) {
        this.context = context;
        // How many partitions the input topics have: where a request id's partition is computed from.
        this.partitions = RouterContext.from(context.appConfigs()).inputPartitions();
    }

    @Override
    public void process(final Record<byte[], byte[]> record) {
        final byte[] bytes = record.value();
        final String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        if (bytes != null && bytes.length > maxBytes) {
            reject(record, key, DeadLetterReason.REQUEST_TOO_LARGE, "The record has " + bytes.length + " bytes, more than " + sizeKey
                    + " (" + maxBytes + ")", null);
            return;
        }
        final Object value;
        final AvroBody body;
        try {
            final String topic = context.recordMetadata().map(RecordMetadata::topic).orElse(null);
            if (bytes != null && deserializer instanceof SpecificAvroDeserializer<?> ours) {
                final Decoded<?> decoded = ours.decode(topic, bytes);
                value = decoded.value();
                body = decoded.body();
            } else {
                // Null stays null through the Avro deserializer, as in Confluent's.
                value = deserializer.deserialize(topic, record.headers(), bytes);
                body = null;
            }
        } catch (final RuntimeException e) {
            if (RegistryOutage.causes(e)) {
                throw e;
            }
            reject(record, key, DeadLetterReason.of(e, DeadLetterReason.UNDECODABLE), e.getMessage(), e);
            return;
        }
        if (value == null) {
            reject(record, key, DeadLetterReason.NULL_VALUE, "The record has no value: a " + type.getSimpleName() + " cannot be null", null);
        } else if (!type.isInstance(value)) {
            reject(record, key, DeadLetterReason.WRONG_TYPE, "The value is a " + value.getClass().getSimpleName() + ", not a "
                    + type.getSimpleName(), null);
        } else {
            final T decoded = type.cast(value);
            final int partition = context.recordMetadata().map(RecordMetadata::partition).orElse(0);
            context.forward(record.withKey(key).withValue(Verdict.pass(new Placed<>(decoded, body, record.key(), bytes,
                    Placement.inPlace(key, requestIdOf.apply(decoded), partition, partitions)))));
        }
    }

    private void reject(final Record<byte[], byte[]> record, final String key, final DeadLetterReason reason, final String message,
                        final Throwable cause) {
        context.forward(record.withKey(key).withValue(Verdict.reject(DeadLetter.of(record.key(), record.value(), context.recordMetadata(),
                record.headers(), reason, message, cause, name))));
    }
}
