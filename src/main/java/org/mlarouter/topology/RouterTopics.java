package org.mlarouter.topology;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.mlarouter.avro.Route;
import org.mlarouter.avro.RoutingDecision;
import org.mlarouter.config.RouterConfig;
import org.mlarouter.config.TopicRole;

/**
 * The topics of {@link TopicRole} as the topology uses them: each with its configured name and its serdes, made from
 * the role's declaration. Keys are UTF-8 strings; values are Avro in the Confluent framing, through the serde class the
 * configuration names (one per record type, each told the type it must produce, so a record of another type fails to
 * decode and becomes a dead letter); dead letters are raw bytes. The value serdes hold Schema Registry clients, made
 * from the configuration.
 */
public final class RouterTopics {

    private final Map<TopicRole, Topic<?, ?>> byRole = new EnumMap<>(TopicRole.class);

    private RouterTopics(final RouterConfig config) {
        final Map<Class<?>, Serde<?>> serdeByType = new HashMap<>();
        for (final TopicRole role : TopicRole.values()) {
            final String name = config.topic(role);
            byRole.put(role, role.valueType().<Topic<?, ?>>map(type -> new Topic<>(name, Serdes.String(),
                    serdeByType.computeIfAbsent(type, ignored -> serde(config, type)))).orElseGet(() -> new Topic<>(name, Serdes.ByteArray(), Serdes.ByteArray())));
        }
    }

    private static <V extends SpecificRecord> Serde<V> serde(final RouterConfig config, final Class<V> type) {
        return config.valueSerde(type);
    }

    /** The topics of a configuration, with configured serdes. */
    public static RouterTopics from(final RouterConfig config) {
        return new RouterTopics(config);
    }

    /** The topic of a role whose values are {@code type} records. */
    @SuppressWarnings("unchecked")
    public <V extends SpecificRecord> Topic<String, V> of(final TopicRole role, final Class<V> type) {
        if (role.valueType().orElse(null) != type) {
            throw new IllegalArgumentException(role + " does not carry " + type.getSimpleName());
        }
        return (Topic<String, V>) byRole.get(role);
    }

    /** A topic of raw key and value bytes: a dead-letter topic. */
    @SuppressWarnings("unchecked")
    public Topic<byte[], byte[]> raw(final TopicRole role) {
        if (role.valueType().isPresent()) {
            throw new IllegalArgumentException(role + " carries " + role.valueType().get().getSimpleName() + " records, not raw bytes");
        }
        return (Topic<byte[], byte[]>) byRole.get(role);
    }

    /** The decision topic of a route. */
    public Topic<String, RoutingDecision> decisions(final Route route) {
        return of(TopicRole.of(route), RoutingDecision.class);
    }
}
