package org.mlarouter.topology;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.mlarouter.avro.TreatyCoverage;

/**
 * The decoded coverage records of the global store, shared by the stream threads of one application instance. The
 * global store holds bytes, so every lookup there decodes the Avro record again (a JFR profile put that at 6 % of the
 * stream thread); this keeps each decoded record until {@link CoverageUpdater} changes its counterpart.
 *
 * <p>Correct under concurrency: {@link #get} loads a missing entry inside {@link ConcurrentMap#computeIfAbsent}, which
 * holds the entry's lock, and the updater invalidates only after it has written the store. So an entry loaded before a
 * write is removed by the invalidation that follows it, and one loaded after it reads the new value.
 */
final class CoverageCache {

    private final ConcurrentMap<String, Optional<TreatyCoverage>> byCounterpart = new ConcurrentHashMap<>();

    /** The coverage of a counterpart, from the cache or else from the store; null when the store has none. */
    TreatyCoverage get(final String counterpart, final ReadOnlyKeyValueStore<String, TreatyCoverage> store) {
        return byCounterpart.computeIfAbsent(counterpart, key -> Optional.ofNullable(store.get(key))).orElse(null);
    }

    /** Forgets a counterpart's entry; called after its coverage in the store was written or deleted. */
    void invalidate(final String counterpart) {
        byCounterpart.remove(counterpart);
    }
}
