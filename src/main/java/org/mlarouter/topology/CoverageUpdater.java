package org.mlarouter.topology;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The global processor of the treaty topic: mirrors each record's bytes in the global store (Kafka Streams feeds a
 * global processor only through a store) and hands it to the {@link CoverageBook}, which decodes, validates and applies
 * it. Kafka Streams runs every treaty record through this processor, live and when it rebuilds the in-memory store at
 * start, so a bad record is refused on every instance and after every restart alike.
 */
final class CoverageUpdater implements Processor<String, byte[], Void, Void> {

    private final CoverageBook book;
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, byte[]> treatyRecords;

    CoverageUpdater(final CoverageBook book) {
        this.book = book;
    }

    @Override
    public void init(final ProcessorContext<Void, Void> context) {
        this.context = context;
        this.treatyRecords = context.getStateStore(RouterTopology.TREATY_RECORDS_STORE);
    }

    @Override
    public void process(final Record<String, byte[]> record) {
        if (record.key() != null) {
            treatyRecords.put(record.key(), record.value());
        }
        book.update(record.key(), record.value(), context.recordMetadata().map(RecordMetadata::offset).orElse(-1L));
    }
}
