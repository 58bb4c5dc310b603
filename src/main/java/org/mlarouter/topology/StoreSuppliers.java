package org.mlarouter.topology;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.DslStoreFormat;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.BuiltInDslStoreSuppliers;
import org.apache.kafka.streams.state.DslKeyValueParams;
import org.apache.kafka.streams.state.DslStoreSuppliers;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.mlarouter.config.RouterConfig;

/**
 * Which kind of store keeps the router's request statuses and pending reviews: Kafka Streams' own
 * {@code dsl.store.suppliers.class}, so the router's stores follow the setting a Kafka Streams user already knows.
 * RocksDB when it is not set; {@code org.apache.kafka.streams.state.BuiltInDslStoreSuppliers$InMemoryDslStoreSuppliers}
 * keeps them on the heap, restored from their changelogs at every start (docs/benchmarks.md compares the two). They
 * are cached only when {@code statestore.cache.max.bytes} is set above 0: the router's default is no cache, which
 * measured faster.
 */
final class StoreSuppliers {

    private StoreSuppliers() {
    }

    /**
     * The builder of one of the router's key-value stores: the kind {@code dsl.store.suppliers.class} names, with its
     * changelog, and the record cache only if {@code statestore.cache.max.bytes} is set above 0.
     */
    static <V> StoreBuilder<KeyValueStore<String, V>> keyValueStore(final RouterConfig config, final String name, final Serde<V> valueSerde) {
        final StoreBuilder<KeyValueStore<String, V>> builder = Stores.keyValueStoreBuilder(
                of(config).keyValueStore(new DslKeyValueParams(name, DslStoreFormat.PLAIN)), Serdes.String(), valueSerde);
        return cached(config) ? builder.withCachingEnabled() : builder;
    }

    /** Whether the stores get Kafka Streams' record cache: only when {@code statestore.cache.max.bytes} is set above 0. */
    static boolean cached(final RouterConfig config) {
        final Object size = config.originals().get(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG);
        try {
            return size != null && Long.parseLong(size.toString().trim()) > 0;
        } catch (final NumberFormatException e) {
            throw new ConfigException(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, size, "expected a number of bytes");
        }
    }

    static DslStoreSuppliers of(final RouterConfig config) {
        final Object configured = config.originals().get(StreamsConfig.DSL_STORE_SUPPLIERS_CLASS_CONFIG);
        if (configured == null) {
            return new BuiltInDslStoreSuppliers.RocksDBDslStoreSuppliers();
        }
        try {
            final Class<?> type = configured instanceof Class ? (Class<?>) configured : Class.forName(configured.toString().trim());
            final DslStoreSuppliers suppliers = type.asSubclass(DslStoreSuppliers.class).getDeclaredConstructor().newInstance();
            suppliers.configure(config.originals());
            return suppliers;
        } catch (final ReflectiveOperationException | ClassCastException e) {
            throw new ConfigException(StreamsConfig.DSL_STORE_SUPPLIERS_CLASS_CONFIG, configured,
                    "expected a class implementing " + DslStoreSuppliers.class.getName() + " with a public no-argument constructor (" + e + ")");
        }
    }
}
