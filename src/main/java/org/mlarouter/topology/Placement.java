package org.mlarouter.topology;

import java.nio.charset.StandardCharsets;

/**
 * Where Kafka's default partitioner (the Java client's, murmur2 of the key) puts a record keyed by a request id, so the
 * topology can tell a record already on its request id's partition from one that must be moved there: keyed by
 * something else, not keyed, or placed by another partitioner (librdkafka's {@code consistent_random}, a custom one).
 * The hash is written out here because Kafka's own implementation is not part of its public API; a test checks it
 * against it.
 */
final class Placement {

    private Placement() {
    }

    /** Whether a record with this key, on this partition of a topic of {@code partitions}, is where its request id belongs. */
    static boolean inPlace(final String key, final String requestId, final int partition, final int partitions) {
        return key != null && key.equals(requestId) && partition == partitionOf(requestId, partitions);
    }

    /** The partition Kafka's default partitioner gives a record keyed by {@code key} (UTF-8). */
    static int partitionOf(final String key, final int partitions) {
        return (murmur2(key.getBytes(StandardCharsets.UTF_8)) & 0x7fffffff) % partitions;
    }

    /** MurmurHash2, 32 bits, seed 0x9747b28c: the hash of Kafka's default partitioner. */
    static int murmur2(final byte[] data) {
        final int length = data.length;
        final int m = 0x5bd1e995;
        final int r = 24;
        int h = 0x9747b28c ^ length;
        final int length4 = length / 4;
        for (int i = 0; i < length4; i++) {
            final int i4 = i * 4;
            int k = (data[i4] & 0xff) + ((data[i4 + 1] & 0xff) << 8) + ((data[i4 + 2] & 0xff) << 16) + ((data[i4 + 3] & 0xff) << 24);
            k *= m;
            k ^= k >>> r;
            k *= m;
            h *= m;
            h ^= k;
        }
        switch (length % 4) {
            case 3:
                h ^= (data[(length & ~3) + 2] & 0xff) << 16;
                // fall through
            case 2:
                h ^= (data[(length & ~3) + 1] & 0xff) << 8;
                // fall through
            case 1:
                h ^= data[length & ~3] & 0xff;
                h *= m;
                break;
            default:
        }
        h ^= h >>> 13;
        h *= m;
        h ^= h >>> 15;
        return h;
    }
}
