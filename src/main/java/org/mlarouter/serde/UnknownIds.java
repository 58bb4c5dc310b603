package org.mlarouter.serde;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Schema ids the registry said it does not know, remembered for a while ({@link #REMEMBERED}) and at most
 * {@link #CAPACITY} of them (the oldest forgotten first), so hostile input with random ids is cheap and cannot grow
 * memory without bound. Thread-safe; each operation holds a short lock and never waits on the network.
 */
final class UnknownIds {

    static final Duration REMEMBERED = Duration.ofSeconds(60);
    static final int CAPACITY = 10_000;

    private final Map<Integer, Long> expiryById = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(final Map.Entry<Integer, Long> eldest) {
            return size() > CAPACITY;
        }
    };

    synchronized void add(final int id) {
        expiryById.remove(id);
        expiryById.put(id, System.nanoTime() + REMEMBERED.toNanos());
    }

    synchronized boolean contains(final int id) {
        final Long expiry = expiryById.get(id);
        if (expiry == null) {
            return false;
        }
        if (expiry - System.nanoTime() <= 0) {
            expiryById.remove(id);
            return false;
        }
        return true;
    }

    synchronized int size() {
        return expiryById.size();
    }
}
