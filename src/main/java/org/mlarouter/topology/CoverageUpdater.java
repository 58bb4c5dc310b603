package org.mlarouter.topology;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * The global processor of the treaty topic: hands each record's bytes to the {@link CoverageStore}, which decodes,
 * validates and applies it. Kafka Streams runs every treaty record through this processor, live and when it rebuilds
 * the store at start, so a bad record is refused on every instance and after every restart alike.
 */
final class CoverageUpdater implements Processor<String, byte[], Void, Void> {

    private ProcessorContext<Void, Void> context;
    private CoverageStore coverage;

    @Override
    public void init(final ProcessorContext<Void, Void> context) {
        this.context = context;
        this.coverage = context.getStateStore(RouterTopology.COVERAGE_STORE);
    }

    @Override
    public void process(final Record<String, byte[]> record) {
        coverage.update(record.key(), record.value(), context.recordMetadata().map(RecordMetadata::offset).orElse(-1L));
    }
}
