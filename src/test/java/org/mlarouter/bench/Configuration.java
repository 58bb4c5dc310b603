package org.mlarouter.bench;

import org.mlarouter.config.TopicRole;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.streams.state.BuiltInDslStoreSuppliers;
import org.mlarouter.config.RouterSettings;

/**
 * One application the benchmark measures: the router or the pass-through, under which guarantee, on how many input
 * partitions, with which treaty table, and with which router settings (a variant, named in its label).
 */
final class Configuration {

    static final String AT_LEAST_ONCE = "at_least_once";
    static final String EXACTLY_ONCE = "exactly_once_v2";
    static final int MAIN_PARTITIONS = 6;
    static final int LARGE_TABLE_SIZE = 250;
    static final String LARGE_TABLE_TOPIC = "bench.treaties.large";

    final boolean router;
    final String guarantee;
    final int partitions;
    final boolean largeTable;
    /** What sets this configuration apart in its label (empty for none), and the router settings that do it. */
    final String variant;
    final Map<String, String> settings;

    Configuration(final boolean router, final String guarantee, final int partitions, final boolean largeTable) {
        this(router, guarantee, partitions, largeTable, "", Map.of());
    }

    Configuration(final boolean router, final String guarantee, final int partitions, final boolean largeTable, final String variant,
                  final Map<String, String> settings) {
        this.router = router;
        this.guarantee = guarantee;
        this.partitions = partitions;
        this.largeTable = largeTable;
        this.variant = variant;
        this.settings = settings;
    }

    /** The router with these settings, on the main input. */
    static Configuration router(final String guarantee, final String variant, final Map<String, String> settings) {
        return new Configuration(true, guarantee, MAIN_PARTITIONS, false, variant, settings);
    }

    String label() {
        return (router ? "router" : "pass-through") + " " + guarantee + ", " + partitions + " partition" + (partitions == 1 ? "" : "s")
                + (router ? ", " + (largeTable ? LARGE_TABLE_SIZE : 12) + " counterparts" : "") + (variant.isEmpty() ? "" : ", " + variant);
    }

    /** The same configuration with the pass-through: the limit it is compared with. */
    Configuration limit() {
        return new Configuration(false, guarantee, partitions, false);
    }

    String inputTopic(final RouterSettings defaults) {
        return partitions == MAIN_PARTITIONS ? defaults.router().topic(TopicRole.REQUESTS) : "bench.requests.p" + partitions;
    }

    /** The review topic of an input of this many partitions (not the main one): it must have as many. */
    static String reviewsTopic(final int partitions) {
        return "bench.reviews.p" + partitions;
    }

    /** The router settings of a kind of store for its request statuses and pending reviews, cached or not. */
    static Map<String, String> storeSettings(final String store, final boolean cached) {
        final Map<String, String> settings = new HashMap<>();
        if ("in-memory".equals(store)) {
            settings.put("dsl.store.suppliers.class", BuiltInDslStoreSuppliers.InMemoryDslStoreSuppliers.class.getName());
        }
        settings.put("statestore.cache.max.bytes", cached ? String.valueOf(10 * 1024 * 1024) : "0");
        return settings;
    }
}
