package org.mlarouter.topology;

import org.mlarouter.serde.AvroBody;

/**
 * A decoded record with the Avro body it came from (null when the configured serde is not the router's), the key and
 * value bytes it arrived as (for its dead letter, and to move it), and whether it
 * already sits on the partition of its request id (see {@link Placement}): the topology moves only the records that do not.
 */
record Placed<T>(T value, AvroBody body, byte[] key, byte[] original, boolean inPlace) {
}
