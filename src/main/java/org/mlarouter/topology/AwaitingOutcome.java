package org.mlarouter.topology;

import java.util.List;
import java.util.Optional;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.mlarouter.avro.ReviewOutcome;
import org.mlarouter.serde.PlainAvroSerde;

/**
 * A review outcome that arrived before its request was decided, waiting for it in the {@code outcomes-awaiting-request}
 * store: the outcome (Avro binary), when it was sent and when it started to wait, and what its dead letter needs if
 * its request never comes (original key, value, headers and where it was read). Stored as JSON: a rare record, read
 * back by the review desk only.
 */
record AwaitingOutcome(String requestId, byte[] outcome, long timestamp, long since, byte[] key, byte[] value,
                       List<StoredHeaders.StoredHeader> headers, String topic, int partition, long offset) {

    private static final Serde<ReviewOutcome> OUTCOMES = PlainAvroSerde.of(ReviewOutcome.class);

    static AwaitingOutcome of(final ReviewOutcome decoded, final long timestamp, final long since, final byte[] key, final byte[] value,
                              final Headers headers, final Optional<RecordMetadata> source) {
        return new AwaitingOutcome(decoded.getRequestId(), OUTCOMES.serializer().serialize(null, decoded), timestamp, since, key, value,
                StoredHeaders.of(headers), source.map(RecordMetadata::topic).orElse(null), source.map(RecordMetadata::partition).orElse(-1),
                source.map(RecordMetadata::offset).orElse(-1L));
    }

    /** Its key in the store: by request id, then where it was read, so two outcomes for one id wait side by side. */
    String storeKey() {
        // The offset zero-padded: the outcomes of one request are looked at in the order they were read.
        return requestId + '\u0000' + topic + '-' + partition + '@' + String.format("%019d", offset);
    }

    ReviewOutcome decoded() {
        return OUTCOMES.deserializer().deserialize(null, outcome);
    }

    Headers originalHeaders() {
        return StoredHeaders.headers(headers);
    }

    /** Where it was read, as Kafka Streams says it. */
    Optional<RecordMetadata> source() {
        return Optional.of(new RecordMetadata() {
            @Override
            public String topic() {
                return topic;
            }

            @Override
            public int partition() {
                return partition;
            }

            @Override
            public long offset() {
                return offset;
            }
        });
    }

    static Serde<AwaitingOutcome> serde() {
        return StoredHeaders.jsonSerde(AwaitingOutcome.class);
    }
}
