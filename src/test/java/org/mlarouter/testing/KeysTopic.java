package org.mlarouter.testing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.KeyValue;
import org.mlarouter.topology.DeadLetterSeal;

/**
 * The keys topic as a test reads it: folded as compaction would (the last value of each key id, a tombstone removing
 * it), and what it opens with the test's key-encryption keys ({@link SigningKeys#keyEncryptionKeys()}).
 */
public final class KeysTopic {

    private final Map<String, byte[]> wrapped = new HashMap<>();

    /** Applies records read from the keys topic, in order. */
    public KeysTopic read(final List<KeyValue<String, byte[]>> records) {
        for (final KeyValue<String, byte[]> record : records) {
            if (record.value == null) {
                wrapped.remove(record.key);
            } else {
                wrapped.put(record.key, record.value);
            }
        }
        return this;
    }

    public Map<String, byte[]> wrapped() {
        return wrapped;
    }

    /** A sealed dead letter's original bytes, or empty when its key is not there (deleted) or it does not open. */
    public Optional<byte[]> deadLetterValue(final Iterable<Header> headers, final byte[] value) {
        return DeadLetterSeal.originalValue(headers, value, keyId -> Optional.ofNullable(wrapped.get(keyId))
                .map(key -> SigningKeys.keyEncryptionKeys().unwrap(keyId, key)));
    }
}
