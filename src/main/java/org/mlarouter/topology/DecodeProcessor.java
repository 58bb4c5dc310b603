package org.mlarouter.topology;

import java.util.function.Function;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Decodes the value bytes of an input record into its record type, and tells whether the record sits on the partition
 * of its request id. A value that is too large, null, of another type or not decodable fails here, inside the topology,
 * so that its KIP-1034 dead letter commits with the transaction under exactly-once.
 */
final class DecodeProcessor<T> implements FixedKeyProcessor<String, byte[], Placed<T>> {

    private final Deserializer<?> deserializer;
    private final Class<T> type;
    private final Function<T, String> requestIdOf;
    private final int partitions;
    private final int maxBytes;
    private final String sizeKey;
    private FixedKeyProcessorContext<String, Placed<T>> context;

    /**
     * @param partitions how many partitions the input topic has (where the request id's partition is computed)
     * @param maxBytes   values larger than this are refused ({@link DeadLetterReason#REQUEST_TOO_LARGE})
     * @param sizeKey    the setting that sets {@code maxBytes}, for the message
     */
    DecodeProcessor(final Deserializer<?> deserializer, final Class<T> type, final Function<T, String> requestIdOf,
                    final int partitions, final int maxBytes, final String sizeKey) {
        this.deserializer = deserializer;
        this.type = type;
        this.requestIdOf = requestIdOf;
        this.partitions = partitions;
        this.maxBytes = maxBytes;
        this.sizeKey = sizeKey;
    }

    @Override
    public void init(final FixedKeyProcessorContext<String, Placed<T>> context) {
        this.context = context;
    }

    @Override
    public void process(final FixedKeyRecord<String, byte[]> record) {
        final byte[] bytes = record.value();
        if (bytes != null && bytes.length > maxBytes) {
            throw new InvalidRecordException(DeadLetterReason.REQUEST_TOO_LARGE, "The record has " + bytes.length
                    + " bytes, more than " + sizeKey + " (" + maxBytes + ")");
        }
        // Null stays null through the Avro deserializer, as in Confluent's.
        final Object value = deserializer.deserialize(context.recordMetadata().map(RecordMetadata::topic).orElse(null), bytes);
        if (value == null) {
            throw new InvalidRecordException(DeadLetterReason.NULL_VALUE, "The record has no value: a " + type.getSimpleName()
                    + " cannot be null");
        }
        if (!type.isInstance(value)) {
            throw new InvalidRecordException(DeadLetterReason.WRONG_TYPE, "The value is a " + value.getClass().getSimpleName()
                    + ", not a " + type.getSimpleName());
        }
        final T decoded = type.cast(value);
        final int partition = context.recordMetadata().map(RecordMetadata::partition).orElse(0);
        context.forward(record.withValue(new Placed<>(decoded, bytes,
                Placement.inPlace(record.key(), requestIdOf.apply(decoded), partition, partitions))));
    }
}
