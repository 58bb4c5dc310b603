package org.mlarouter.ops;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;

/**
 * Gives Kafka Streams' state-store metrics one set of tag keys. Kafka Streams tags a store's metrics with a key named
 * after its type ({@code rocksdb-state-id}, {@code in-memory-state-id}, …), so the same metric of a RocksDB store and an
 * in-memory store (the decided ids and the treaty records) carry different keys, which Prometheus forbids: the second
 * one would fail to register and be missing from {@code /metrics}. Here both become {@code state_id}, and the type
 * moves to a {@code store_type} tag ({@code rocksdb}, {@code in-memory}).
 */
final class StateStoreTags {

    static final MeterFilter FILTER = new MeterFilter() {
        @Override
        public Meter.Id map(final Meter.Id id) {
            return id.getName().startsWith(STATE_METRICS) ? normalized(id) : id;
        }
    };

    private static final String STATE_METRICS = "kafka.stream.state";
    /** Micrometer's Kafka binder turns Kafka's {@code rocksdb-state-id} into {@code rocksdb.state.id}. */
    private static final String STATE_ID_SUFFIX = ".state.id";
    private static final String STATE_ID = "state.id";

    private StateStoreTags() {
    }

    static Meter.Id normalized(final Meter.Id id) {
        final List<Tag> tags = new ArrayList<>();
        String storeType = null;
        for (final Tag tag : id.getTagsAsIterable()) {
            if (tag.getKey().endsWith(STATE_ID_SUFFIX)) {
                storeType = tag.getKey().substring(0, tag.getKey().length() - STATE_ID_SUFFIX.length()).replace('.', '-');
                tags.add(Tag.of(STATE_ID, tag.getValue()));
            } else {
                tags.add(tag);
            }
        }
        if (storeType == null) {
            return id;
        }
        tags.add(Tag.of("store.type", storeType));
        return id.replaceTags(tags);
    }
}
