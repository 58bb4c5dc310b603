package org.mlarouter.topology;

import java.util.List;


import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serde;
import org.mlarouter.avro.AssistanceRequest;
import org.mlarouter.serde.PlainAvroSerde;

/**
 * A request whose counterpart's coverage is being replaced (an update waits for the Schema Registry), waiting in the
 * {@code requests-awaiting-coverage} store to be decided on the new coverage: the request (plain Avro binary, so it
 * needs no registry to be read back; in encrypted mode its personal fields sealed, with its data key wrapped beside it),
 * its counterpart, and the timestamp and headers its decision carries. Stored as JSON: a rare record, read back by the
 * deciding processor only.
 */
record AwaitingCoverage(String counterpart, byte[] request, long timestamp, List<StoredHeaders.StoredHeader> headers, byte[] wrappedKey) {

    private static final Serde<AssistanceRequest> REQUESTS = PlainAvroSerde.of(AssistanceRequest.class);

    /**
     * @param request    in encrypted mode sealed with the request's data key, which waits with it, wrapped ({@code wrappedKey});
     *                   in plain mode as read, {@code wrappedKey} null
     */
    static AwaitingCoverage of(final String counterpart, final AssistanceRequest request, final long timestamp, final Headers headers,
                               final byte[] wrappedKey) {
        return new AwaitingCoverage(counterpart, REQUESTS.serializer().serialize(null, request), timestamp, StoredHeaders.of(headers), wrappedKey);
    }

    /**
     * Its key in the store: the request id, so that the duplicate check finds it; a request without one (decided
     * incomplete) by where it was read.
     */
    static String storeKey(final AssistanceRequest request, final String position) {
        final String requestId = request.getRequestId();
        return requestId == null || requestId.isBlank() ? "\u0000" + position : requestId;
    }

    AssistanceRequest decoded() {
        return REQUESTS.deserializer().deserialize(null, request);
    }

    Headers originalHeaders() {
        return StoredHeaders.headers(headers);
    }

    static Serde<AwaitingCoverage> serde() {
        return StoredHeaders.jsonSerde(AwaitingCoverage.class);
    }
}
