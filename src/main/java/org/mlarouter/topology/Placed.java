package org.mlarouter.topology;

/**
 * A decoded record, its original value bytes, and whether it already sits on the partition of its request id (see
 * {@link Placement}): the topology moves only the records that do not.
 */
record Placed<T>(T value, byte[] original, boolean inPlace) {
}
