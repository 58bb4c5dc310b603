package org.mlarouter.topology;

import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.mlarouter.avro.Route;
import org.mlarouter.avro.RoutingDecision;

/**
 * Records a request's first decision: its status in the request-status store and, when it goes to review, the
 * decision itself in the pending-reviews store (the final decision is built from it). A request without an id (it is
 * decided NEEDS_REVIEW as incomplete) has nothing to record. Tells the task's {@link RequestProgress} how far its
 * requests have been read.
 */
final class RecordDecision implements FixedKeyProcessor<String, Decided, Decided> {

    private final RequestProgress progress;
    private FixedKeyProcessorContext<String, Decided> context;
    private RequestProgress.Task read;
    private KeyValueStore<String, RequestStatus> statusById;
    private KeyValueStore<String, Decided> pendingById;

    RecordDecision(final RequestProgress progress) {
        this.progress = progress;
    }

    @Override
    public void init(final FixedKeyProcessorContext<String, Decided> context) {
        this.context = context;
        this.read = progress.of(context.taskId());
        this.statusById = context.getStateStore(RouterTopology.REQUEST_STATUS_STORE);
        this.pendingById = context.getStateStore(RouterTopology.PENDING_REVIEWS_STORE);
    }

    @Override
    public void process(final FixedKeyRecord<String, Decided> record) {
        final RoutingDecision decision = record.value().decision();
        final String requestId = decision.getRequestId();
        read.read(record.timestamp(), context.currentSystemTimeMs());
        if (!requestId.isBlank()) {
            statusById.put(requestId, RequestStatus.firstDecision(decision, record.value().wrappedKey()));
            if (decision.getRoute() == Route.NEEDS_REVIEW) {
                pendingById.put(requestId, record.value());
            }
        }
        context.forward(record);
    }
}
