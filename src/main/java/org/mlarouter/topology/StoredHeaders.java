package org.mlarouter.topology;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.mlarouter.json.Json;

/**
 * What the stores of waiting records ({@link AwaitingOutcome}, {@link AwaitingCoverage}) share: a record's headers kept
 * as a list of key and value, and the JSON serde of a rare record read back by its own processor only.
 */
final class StoredHeaders {

    /** A header of the original record. */
    record StoredHeader(String key, byte[] value) {
    }

    private StoredHeaders() {
    }

    static List<StoredHeader> of(final Headers headers) {
        final List<StoredHeader> stored = new ArrayList<>();
        for (final Header header : headers) {
            stored.add(new StoredHeader(header.key(), header.value()));
        }
        return stored;
    }

    static Headers headers(final List<StoredHeader> stored) {
        final RecordHeaders headers = new RecordHeaders();
        stored.forEach(header -> headers.add(header.key(), header.value()));
        return headers;
    }

    /** The JSON serde of a store's record type. */
    static <T> Serde<T> jsonSerde(final Class<T> type) {
        return Serdes.serdeFrom((topic, value) -> {
            try {
                return value == null ? null : Json.MAPPER.writeValueAsBytes(value);
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            }
        }, (topic, bytes) -> {
            try {
                return bytes == null ? null : Json.MAPPER.readValue(bytes, type);
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
