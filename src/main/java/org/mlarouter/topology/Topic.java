package org.mlarouter.topology;

import java.util.Objects;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/** One topic as the topology uses it: its name and the serdes of its keys and values. Immutable. */
public final class Topic<K, V> {

    private final String name;
    private final Serde<K> keySerde;
    private final Serde<V> valueSerde;

    public Topic(final String name, final Serde<K> keySerde, final Serde<V> valueSerde) {
        this.name = Objects.requireNonNull(name, "name");
        this.keySerde = Objects.requireNonNull(keySerde, "keySerde");
        this.valueSerde = Objects.requireNonNull(valueSerde, "valueSerde");
    }

    public String name() {
        return name;
    }

    public Serde<K> keySerde() {
        return keySerde;
    }

    public Serde<V> valueSerde() {
        return valueSerde;
    }

    /** How the topology reads this topic, as a source node of the given name. */
    public Consumed<K, V> consumed(final String processorName) {
        return Consumed.with(keySerde, valueSerde).withName(processorName);
    }

    /** How the topology writes this topic, as a sink node of the given name. */
    public Produced<K, V> produced(final String processorName) {
        return Produced.with(keySerde, valueSerde).withName(processorName);
    }

    @Override
    public String toString() {
        return name;
    }
}
