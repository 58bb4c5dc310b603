package org.mlarouter.topology;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.mlarouter.avro.RoutingDecision;
import org.mlarouter.serde.AvroBody;
import org.mlarouter.serde.PlainAvroSerde;
import org.mlarouter.serde.SpecificAvroSerializer;

/**
 * A decision with the Avro body its request arrived as ({@link AvroBody}; null when there is none, as for a final
 * decision built from a stored one). The decision topics and the pending-reviews store write the request by copying
 * those bytes when they encode it under the decision's schema, else encode it: the same bytes either way.
 */
public record Decided(RoutingDecision decision, AvroBody requestBody, byte[] wrappedKey) {

    /**
     * @param requestBody the request's bytes to copy into the decision's, or null to encode it (always when its personal
     *                    fields are encrypted)
     */
    public Decided(final RoutingDecision decision, final AvroBody requestBody) {
        this(decision, requestBody, null);
    }

    private static final int REQUEST = RoutingDecision.SCHEMA$.getField("request").pos();

    /** The serde of a decision topic: the configured decision serde, copying the request's bytes when it is the router's own. */
    static Serde<Decided> topicSerde(final Serde<RoutingDecision> configured) {
        final Serializer<RoutingDecision> inner = configured.serializer();
        final Serializer<Decided> serializer = inner instanceof SpecificAvroSerializer<RoutingDecision> copying
                ? (topic, decided) -> decided == null ? null : copying.serialize(topic, decided.decision(), REQUEST, decided.requestBody())
                : (topic, decided) -> decided == null ? null : inner.serialize(topic, decided.decision());
        final Deserializer<RoutingDecision> decisions = configured.deserializer();
        final Deserializer<Decided> deserializer = (topic, bytes) -> {
            final RoutingDecision decision = decisions.deserialize(topic, bytes);
            return decision == null ? null : new Decided(decision, null);
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }

    /** The serde of the pending-reviews store: the decision's plain Avro binary, its request copied as on the topics. */
    static Serde<Decided> storeSerde() {
        final PlainAvroSerde.Codec<RoutingDecision> codec = PlainAvroSerde.codec(RoutingDecision.class);
        return Serdes.serdeFrom((topic, decided) -> decided == null ? null : codec.encode(decided.decision(), REQUEST, decided.requestBody()),
                (topic, bytes) -> {
                    final RoutingDecision decision = codec.decode(bytes);
                    return decision == null ? null : new Decided(decision, null);
                });
    }
}
