package org.mlarouter.topology;

import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.mlarouter.avro.AssistanceRequest;

/**
 * A request id is decided once. A record whose (non-blank) id has a status in the request-status store already becomes
 * a dead letter ({@link DeadLetterReason#DUPLICATE_REQUEST_ID}), and the first decision stands; so does a record whose id
 * waits to be decided ({@link DecideProcessor}). The status is written
 * when the request is decided ({@link RecordDecision}), in the same task and, under exactly-once, the same transaction
 * as the decision; it is forgotten after {@code mla.request.retention}, after which the id could be decided again.
 *
 * <p>Every copy of an id reaches this task, whoever produced it: the topology moves a record that is not on its request
 * id's partition there first (see {@link Placement}).
 */
final class DuplicateGuard implements FixedKeyProcessor<String, Verdict<Placed<AssistanceRequest>>, Verdict<Placed<AssistanceRequest>>> {

    static final String NAME = "check-duplicate";

    private FixedKeyProcessorContext<String, Verdict<Placed<AssistanceRequest>>> context;
    private KeyValueStore<String, RequestStatus> statusById;
    private KeyValueStore<String, AwaitingCoverage> awaitingCoverage;
    private final RequestProgress progress;
    private RequestProgress.Task task;

    DuplicateGuard(final RequestProgress progress) {
        this.progress = progress;
    }

    @Override
    public void init(final FixedKeyProcessorContext<String, Verdict<Placed<AssistanceRequest>>> context) {
        this.context = context;
        this.statusById = context.getStateStore(RouterTopology.REQUEST_STATUS_STORE);
        this.awaitingCoverage = context.getStateStore(RouterTopology.AWAITING_COVERAGE_STORE);
        this.task = progress.of(context.taskId());
    }

    @Override
    public void process(final FixedKeyRecord<String, Verdict<Placed<AssistanceRequest>>> record) {
        final Placed<AssistanceRequest> placed = record.value().value();
        final String requestId = placed.value().getRequestId();
        if (requestId != null && !requestId.isBlank() 
                && (statusById.get(requestId) != null || task.awaitingCoverage() && awaitingCoverage.get(requestId) != null)) {
            context.forward(record.withValue(Verdict.reject(DeadLetter.of(placed.key(), placed.original(), context.recordMetadata(),
                    record.headers(), DeadLetterReason.DUPLICATE_REQUEST_ID,
                    "A request with this requestId was decided already; the first decision stands", null, NAME).ofRequest(requestId))));
        } else {
            context.forward(record);
        }
    }
}
