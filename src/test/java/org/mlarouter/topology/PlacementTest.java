package org.mlarouter.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

class PlacementTest {

    @Test
    void shouldPlaceAKeyWhereKafkasDefaultPartitionerDoes() {
        for (int i = 0; i < 10_000; i++) {
            final String key = "KZ-PG-2026-" + i + (i % 7 == 0 ? "-é" : "");
            final byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
            // Kafka's own hash, used here only to check ours (it is not public API).
            assertEquals(Utils.murmur2(bytes), Placement.murmur2(bytes), key);
            for (final int partitions : new int[] {1, 3, 6, 12}) {
                assertEquals(Utils.toPositive(Utils.murmur2(bytes)) % partitions, Placement.partitionOf(key, partitions), key);
            }
        }
    }

    @Test
    void shouldTellARecordInPlaceFromOneToMove() {
        final int home = Placement.partitionOf("r-1", 6);
        assertTrue(Placement.inPlace("r-1", "r-1", home, 6));
        assertFalse(Placement.inPlace("r-1", "r-1", (home + 1) % 6, 6), "another partitioner put it elsewhere");
        assertFalse(Placement.inPlace("other", "r-1", home, 6), "keyed by something else");
        assertFalse(Placement.inPlace(null, "r-1", home, 6), "no key");
    }
}
