package org.mlarouter.topology;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last step before a dead-letter sink: logs each dead letter on one line (reason and source, never content), tells
 * the {@link DeadLetterListener} of the {@link RouterContext}, and forwards its bytes
 * and headers as the record to write.
 */
final class DeadLetterWriter implements Processor<String, DeadLetter, byte[], byte[]> {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterWriter.class);

    private final boolean reviews;
    private ProcessorContext<byte[], byte[]> context;
    private DeadLetterListener listener;

    /** @param reviews whether it writes the review outcomes' dead letters (else the requests') */
    DeadLetterWriter(final boolean reviews) {
        this.reviews = reviews;
    }

    @Override
    public void init(final ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        this.listener = RouterContext.from(context.appConfigs()).deadLetters();
    }

    @Override
    public void process(final Record<String, DeadLetter> record) {
        final DeadLetter letter = record.value();
        LOG.warn("Dead letter {} for {}: {}", letter.reason(), context.recordMetadata()
                .map(source -> source.topic() + "-" + source.partition() + "@" + source.offset()).orElse("a record"), letter.message());
        if (reviews) {
            listener.onReviewDeadLetter(letter.reason());
        } else {
            listener.onDeadLetter(letter.sourceTopic(), letter.reason());
        }
        context.forward(new Record<>(letter.key(), letter.value(), record.timestamp(), letter.headers()));
    }
}
