package org.mlarouter.topology;

import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.mlarouter.avro.AssistanceRequest;

/**
 * A request id is decided once. An id counts as taken as soon as its first record passes this check, whatever then
 * becomes of that record (a decision, or a dead letter if a later step fails); a later record with the same (non-blank)
 * id is a dead letter ({@link DeadLetterReason#DUPLICATE_REQUEST_ID}), and the first outcome stands. The ids are kept in
 * a persistent store with a changelog. Under exactly_once_v2 (the default) the changelog commits in the same transaction
 * as the outputs, so a crash neither forgets an id nor keeps one whose record was not processed; under at_least_once a
 * crash between the two can make a record processed again look like its own duplicate.
 *
 * <p>The store is partitioned like the request topic, whose key is the request id (docs/contract.md); a duplicate sent
 * under another key may land on another partition and pass unnoticed.
 */
final class DuplicateGuard implements FixedKeyProcessor<String, AssistanceRequest, AssistanceRequest> {

    private FixedKeyProcessorContext<String, AssistanceRequest> context;
    private KeyValueStore<String, Long> decidedRequestIds;

    @Override
    public void init(final FixedKeyProcessorContext<String, AssistanceRequest> context) {
        this.context = context;
        this.decidedRequestIds = context.getStateStore(RouterTopology.DECIDED_REQUEST_IDS_STORE);
    }

    @Override
    public void process(final FixedKeyRecord<String, AssistanceRequest> record) {
        final String requestId = record.value().getRequestId();
        if (requestId != null && !requestId.isBlank()) {
            if (decidedRequestIds.get(requestId) != null) {
                throw new InvalidRecordException(DeadLetterReason.DUPLICATE_REQUEST_ID,
                        "A request with this requestId was decided already; the first decision stands");
            }
            decidedRequestIds.put(requestId, record.timestamp());
        }
        context.forward(record);
    }
}
