package org.mlarouter.topology;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last step before a dead-letter sink: logs each dead letter on one line (reason and source, never content), tells
 * the {@link DeadLetterListener} of the {@link RouterContext}, and forwards its bytes and headers as the record to write.
 * In encrypted mode it seals the value under a key of the dead letter's own ({@link DeadLetterSeal}), which it forwards,
 * wrapped, to the keys topic, and notes in the {@code dead-letter-keys} store (with the request it duplicates, for an
 * erasure: {@link DataKeyKeeper}); once an hour (wall-clock time) it deletes the keys of its dead letters older than their
 * topic's retention, so what the broker has not deleted yet cannot be read either.
 */
final class DeadLetterWriter implements Processor<String, DeadLetter, byte[], byte[]> {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterWriter.class);
    static final Duration SWEEP_INTERVAL = Duration.ofHours(1);

    private final boolean reviews;
    private final String topic;
    private final Optional<DeadLetterSeal> seal;
    private final Duration retention;
    private final String sink;
    private final String keysSink;
    private ProcessorContext<byte[], byte[]> context;
    private DeadLetterListener listener;
    /** Encrypted mode: each dead letter's key id, with the request it duplicates (or empty), until its retention passes. */
    private KeyValueStore<String, String> keys;

    /**
     * @param reviews   whether it writes the review outcomes' dead letters (else the requests')
     * @param topic     the dead-letter topic, whose retention its keys follow
     * @param sink      the name of the sink to the dead-letter topic
     * @param keysSink  the name of the sink to the keys topic (encrypted mode)
     */
    DeadLetterWriter(final boolean reviews, final String topic, final Optional<DeadLetterSeal> seal, final Duration retention,
                     final String sink, final String keysSink) {
        this.reviews = reviews;
        this.topic = topic;
        this.seal = seal;
        this.retention = retention;
        this.sink = sink;
        this.keysSink = keysSink;
    }

    @Override
    public void init(final ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        this.listener = RouterContext.from(context.appConfigs()).deadLetters();
        if (seal.isPresent()) {
            this.keys = context.getStateStore(RouterTopology.DEAD_LETTER_KEYS_STORE);
            context.schedule(SWEEP_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::deleteExpiredKeys);
        }
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
        final DeadLetterSeal.Sealed sealed = seal.map(it -> it.seal(topic, letter.headers(), letter.value(), letter.requestId(),
                context.currentSystemTimeMs())).orElse(null);
        if (sealed == null) {
            context.forward(new Record<>(letter.key(), letter.value(), record.timestamp(), letter.headers()), sink);
            return;
        }
        keys.put(sealed.keyId(), letter.requestId() == null ? "" : letter.requestId());
        context.forward(new Record<>(sealed.keyId().getBytes(StandardCharsets.UTF_8), sealed.wrappedKey(), record.timestamp()), keysSink);
        context.forward(new Record<>(letter.key(), sealed.value(), record.timestamp(), letter.headers()), sink);
    }

    /** Tombstones for the keys of this topic's dead letters written more than its retention ago. */
    private void deleteExpiredKeys(final long now) {
        final java.util.List<String> expired = new java.util.ArrayList<>();
        try (KeyValueIterator<String, String> old = keys.range(DeadLetterSeal.prefix(topic), DeadLetterSeal.lastBefore(topic, now - retention.toMillis()))) {
            old.forEachRemaining(entry -> expired.add(entry.key));
        }
        for (final String keyId : expired) {
            keys.delete(keyId);
            context.forward(new Record<>(keyId.getBytes(StandardCharsets.UTF_8), (byte[]) null, now), keysSink);
        }
        if (!expired.isEmpty()) {
            LOG.info("Deleted the keys of {} dead letters of {} older than its retention ({})", expired.size(), topic, retention);
        }
    }
}
