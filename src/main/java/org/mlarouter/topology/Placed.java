package org.mlarouter.topology;

/**
 * A decoded record with the key and value bytes it arrived as (for its dead letter, and to move it), and whether it
 * already sits on the partition of its request id (see {@link Placement}): the topology moves only the records that do not.
 */
record Placed<T>(T value, byte[] key, byte[] original, boolean inPlace) {
}
