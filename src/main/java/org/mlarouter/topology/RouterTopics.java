package org.mlarouter.topology;

import java.lang.reflect.InvocationTargetException;
import java.util.Map;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.mlarouter.avro.AssistanceRequest;
import org.mlarouter.avro.RoutingDecision;
import org.mlarouter.avro.TreatyCoverage;
import org.mlarouter.serde.AvroSerdeConfig;

/**
 * Every topic the router touches, each declared once with its serdes and referred to by its role. Keys are UTF-8
 * strings; values are Avro in the Confluent framing, through the serde class the configuration names; dead letters
 * are raw bytes. Each value serde is told the record type it must produce ({@code specific.avro.value.type}), so a
 * record of another type fails to decode and becomes a dead letter.
 */
public final class RouterTopics {

    private final Topic<String, AssistanceRequest> requests;
    private final Topic<String, TreatyCoverage> treaties;
    private final Topic<String, RoutingDecision> accepted;
    private final Topic<String, RoutingDecision> refused;
    private final Topic<String, RoutingDecision> needsReview;
    private final Topic<byte[], byte[]> deadLetters;

    private RouterTopics(final RouterConfig config) {
        final Serde<RoutingDecision> decisionSerde = valueSerde(config, RoutingDecision.class);
        this.requests = new Topic<>(config.requestsTopic(), Serdes.String(), valueSerde(config, AssistanceRequest.class));
        // The treaty topic is read by the global thread, which Kafka Streams cannot replace if it fails: its serde
        // waits out a Schema Registry outage instead of failing (the coverage in force stays in use meanwhile).
        this.treaties = new Topic<>(config.treatiesTopic(), Serdes.String(),
                valueSerde(config, TreatyCoverage.class, Map.of(AvroSerdeConfig.OUTAGE_WAIT_MS_CONFIG, Long.MAX_VALUE)));
        this.accepted = new Topic<>(config.acceptedTopic(), Serdes.String(), decisionSerde);
        this.refused = new Topic<>(config.refusedTopic(), Serdes.String(), decisionSerde);
        this.needsReview = new Topic<>(config.needsReviewTopic(), Serdes.String(), decisionSerde);
        this.deadLetters = new Topic<>(config.deadLetterTopic(), Serdes.ByteArray(), Serdes.ByteArray());
    }

    /** The topics of a configuration, with configured serdes. */
    public static RouterTopics from(final RouterConfig config) {
        return new RouterTopics(config);
    }

    public Topic<String, AssistanceRequest> requests() {
        return requests;
    }

    public Topic<String, TreatyCoverage> treaties() {
        return treaties;
    }

    public Topic<String, RoutingDecision> accepted() {
        return accepted;
    }

    public Topic<String, RoutingDecision> refused() {
        return refused;
    }

    public Topic<String, RoutingDecision> needsReview() {
        return needsReview;
    }

    public Topic<byte[], byte[]> deadLetters() {
        return deadLetters;
    }

    /** A configured instance of the value serde class, producing records of {@code type}. */
    public static <T extends SpecificRecord> Serde<T> valueSerde(final RouterConfig config, final Class<T> type) {
        return valueSerde(config, type, Map.of());
    }

    @SuppressWarnings("unchecked")
    private static <T extends SpecificRecord> Serde<T> valueSerde(final RouterConfig config, final Class<T> type,
                                                                  final Map<String, Object> extraConfigs) {
        final Class<?> serdeClass = config.valueSerdeClass();
        if (!Serde.class.isAssignableFrom(serdeClass)) {
            throw new ConfigException(RouterConfig.VALUE_SERDE_CLASS_CONFIG, serdeClass.getName(), "not a " + Serde.class.getName());
        }
        final Serde<T> serde;
        try {
            serde = (Serde<T>) serdeClass.getDeclaredConstructor().newInstance();
        } catch (final ReflectiveOperationException e) {
            final Throwable cause = e instanceof InvocationTargetException ? e.getCause() : e;
            throw new ConfigException(RouterConfig.VALUE_SERDE_CLASS_CONFIG, serdeClass.getName(),
                    "cannot be created with a public no-argument constructor: " + cause);
        }
        final Map<String, Object> serdeConfigs = config.serdeConfigs();
        serdeConfigs.put(AvroSerdeConfig.SPECIFIC_AVRO_VALUE_TYPE_CONFIG, type);
        serdeConfigs.putIfAbsent("specific.avro.reader", true);
        extraConfigs.forEach(serdeConfigs::putIfAbsent);
        serde.configure(serdeConfigs, false);
        return serde;
    }
}
