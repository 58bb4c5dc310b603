package org.mlarouter.ops;

import java.util.Optional;

import org.apache.kafka.streams.KafkaStreams;
import org.mlarouter.json.Json;

/** A running router's view with fixed answers, for the endpoint's tests: RUNNING, no problem, a request's id, an empty queue. */
final class FixedView implements OperatorView {

    static final FixedView INSTANCE = new FixedView();
    static final String AUTHORITY = "Office of the Prosecutor General";

    @Override
    public KafkaStreams.State state() {
        return KafkaStreams.State.RUNNING;
    }

    @Override
    public Optional<String> problem() {
        return Optional.empty();
    }

    @Override
    public String metrics() {
        return "m 1\n";
    }

    @Override
    public String topology() {
        return "Topologies: test";
    }

    @Override
    public Answer requestStatus(final String requestId, final boolean localOnly) {
        // Every request here was sent by the Office of the Prosecutor General (an agency reads its own only).
        return new Answer(200, Json.object().put("requestId", requestId).put("requestingAuthority", AUTHORITY));
    }

    @Override
    public Answer pendingReviews(final ReviewQueueQuery query, final boolean localOnly) {
        return new Answer(200, Json.MAPPER.createArrayNode());
    }
}
