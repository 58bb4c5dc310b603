package org.mlarouter.topology;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.mlarouter.config.RouterConfig;
import org.mlarouter.config.TopicRole;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the router's own copy of each request's wrapped data key, in its status ({@link RequestStatus#dataKey()}), in
 * step with the keys topic, which it reads on the partition of each request id (the task that holds its status):
 * <ul>
 *   <li>a tombstone is an erasure: the status drops its key and says the personal data is erased, and the keys of the
 *       dead letters that duplicate the request ({@code dead-letter-keys}, {@link DeadLetterWriter}) are deleted too,
 *       their tombstones written to the keys topic in the same transaction;</li>
 *   <li>a key that the status lacks (a request decided before the router kept its key there) is copied into it; the
 *       router's own writes find the key there already.</li>
 * </ul>
 * A dead letter's key read here is noted in {@code dead-letter-keys}, for its retention ({@link #noteDeadLetterKey}).
 */
final class DataKeyKeeper implements Processor<String, byte[], String, byte[]> {

    static final String NAME = "keep-data-keys";
    private static final Logger LOG = LoggerFactory.getLogger(DataKeyKeeper.class);

    private final List<String> deadLetterPrefixes;
    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<String, RequestStatus> statusById;
    private KeyValueStore<String, String> deadLetterKeys;

    DataKeyKeeper(final RouterConfig config) {
        this.deadLetterPrefixes = List.of(DeadLetterSeal.prefix(config.topic(TopicRole.DEAD_LETTERS)),
                DeadLetterSeal.prefix(config.topic(TopicRole.REVIEW_DEAD_LETTERS)));
    }

    @Override
    public void init(final ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.statusById = context.getStateStore(RouterTopology.REQUEST_STATUS_STORE);
        this.deadLetterKeys = context.getStateStore(RouterTopology.DEAD_LETTER_KEYS_STORE);
    }

    @Override
    public void process(final Record<String, byte[]> record) {
        final String requestId = record.key();
        if (requestId == null || requestId.isBlank()) {
            return;
        }
        if (deadLetterPrefixes.stream().anyMatch(requestId::startsWith)) {
            noteDeadLetterKey(requestId, record.value());
            return;
        }
        final RequestStatus status = statusById.get(requestId);
        if (record.value() != null) {
            if (status != null && status.dataKey() == null && !status.personalDataErased()) {
                statusById.put(requestId, status.withDataKey(record.value()));
            }
            return;
        }
        if (status != null && !status.personalDataErased()) {
            statusById.put(requestId, status.erased());
        }
        final List<String> duplicates = new ArrayList<>();
        try (KeyValueIterator<String, String> all = deadLetterKeys.all()) {
            while (all.hasNext()) {
                final KeyValue<String, String> entry = all.next();
                if (requestId.equals(entry.value)) {
                    duplicates.add(entry.key);
                }
            }
        }
        for (final String keyId : duplicates) {
            deadLetterKeys.delete(keyId);
            context.forward(new Record<>(keyId, (byte[]) null, record.timestamp()));
        }
        LOG.info("Personal data of {} erased: its data key deleted{}", requestId,
                duplicates.isEmpty() ? "" : ", and the keys of its " + duplicates.size() + " dead letters");
    }

    /**
     * Notes a dead letter's key read on this partition, so that this task's dead-letter writers delete it once it is
     * older than its topic's retention: the keys of the dead letters Kafka Streams' exception handlers write (they have
     * no store) are known only here. A tombstone forgets it.
     */
    private void noteDeadLetterKey(final String keyId, final byte[] wrapped) {
        if (wrapped == null) {
            deadLetterKeys.delete(keyId);
        } else if (deadLetterKeys.get(keyId) == null) {
            deadLetterKeys.put(keyId, DeadLetterSeal.requestIdOf(keyId).orElse(""));
        }
    }
}
