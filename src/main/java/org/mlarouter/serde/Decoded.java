package org.mlarouter.serde;

/** A record read from the Confluent framing, with the Avro body it came from. */
public record Decoded<T>(T value, AvroBody body) {
}
