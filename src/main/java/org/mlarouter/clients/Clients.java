package org.mlarouter.clients;

import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.mlarouter.avro.ReviewOutcome;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.mlarouter.config.RouterSettings;

/**
 * Kafka clients for the command-line tools, made from the same settings as the router: the same brokers, security
 * settings, value serde and Schema Registry. Producers are idempotent with {@code acks=all} and one request in flight;
 * consumers read committed records only and belong to no group (the tools commit nothing).
 */
public final class Clients {

    private final RouterSettings settings;

    public Clients(final RouterSettings settings) {
        this.settings = settings;
    }

    public <V extends SpecificRecord> KafkaProducer<String, V> producer(final Class<V> valueType) {
        return producer(settings.router().valueSerde(valueType).serializer());
    }

    /** As {@link #producer(Class)}, with some producer settings of the caller's (its timeouts, say). */
    public <V extends SpecificRecord> KafkaProducer<String, V> producer(final Class<V> valueType, final Map<String, Object> overrides) {
        return producer(settings.router().valueSerde(valueType).serializer(), overrides);
    }

    /**
     * A producer of review outcomes signed with the router's key ({@code mla.review.signing.key.file}): the router's own,
     * for what signed-in people decide. Nobody else holds the key.
     */
    public KafkaProducer<String, ReviewOutcome> outcomeProducer() {
        return producer(settings.router().outcomeSignature().signing(settings.router().valueSerde(ReviewOutcome.class).serializer()));
    }

    private <V> KafkaProducer<String, V> producer(final org.apache.kafka.common.serialization.Serializer<V> valueSerializer) {
        return producer(valueSerializer, Map.of());
    }

    private <V> KafkaProducer<String, V> producer(final org.apache.kafka.common.serialization.Serializer<V> valueSerializer,
                                                  final Map<String, Object> overrides) {
        final Map<String, Object> properties = settings.producerProperties();
        properties.putAll(overrides);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // One request in flight: while a restarted broker loads a partition it answers NOT_LEADER_OR_FOLLOWER to one
        // batch and may accept the next ones of the same new producer, after which the first can never be written
        // (OUT_OF_ORDER_SEQUENCE_NUMBER until delivery.timeout.ms). Seen with Kafka 4.2.0 in FaultToleranceIT.
        properties.putIfAbsent(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        properties.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, settings.applicationId() + "-tools");
        return new KafkaProducer<>(properties, new StringSerializer(), valueSerializer);
    }

    /**
     * A producer of raw bytes (idempotent, all replicas acknowledging), client id {@code <application.id>-<use>}: for what
     * the tools copy or write as they are (dead letters replayed, the record of treaty changes).
     */
    public KafkaProducer<byte[], byte[]> rawProducer(final String use, final Map<String, Object> overrides) {
        final Map<String, Object> properties = settings.producerProperties();
        properties.putAll(overrides);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, settings.applicationId() + "-" + use);
        return new KafkaProducer<>(properties, new org.apache.kafka.common.serialization.ByteArraySerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer());
    }

    public <V extends SpecificRecord> KafkaConsumer<String, V> consumer(final Class<V> valueType) {
        final Map<String, Object> properties = settings.consumerProperties();
        properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, settings.applicationId() + "-tools");
        final Serde<V> serde = settings.router().valueSerde(valueType);
        return new KafkaConsumer<>(properties, new StringDeserializer(), serde.deserializer());
    }

    /**
     * A consumer of raw records, reading committed records only (no transaction marker, no aborted record): for counting
     * them ({@code RecordCounter}), never for their content.
     */
    public KafkaConsumer<byte[], byte[]> rawConsumer() {
        final Map<String, Object> properties = settings.consumerProperties();
        properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.putIfAbsent(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 8 * 1024 * 1024);
        properties.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, settings.applicationId() + "-counter");
        return new KafkaConsumer<>(properties, new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer());
    }

    public Admin admin() {
        return Admin.create(settings.adminProperties());
    }
}
