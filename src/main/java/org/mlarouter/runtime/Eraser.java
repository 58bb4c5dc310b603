package org.mlarouter.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.mlarouter.config.RouterSettings;
import org.mlarouter.config.TopicRole;
import org.mlarouter.ops.OperatorView.Answer;
import org.mlarouter.topology.DeadLetterSeal;
import org.mlarouter.topology.RouterTopology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Erases a request's personal data (docs/contract.md, "Personal data"): writes the tombstones of its data key and of the
 * keys of the dead letters that duplicate it ({@link DeadLetterSeal}) to the keys topic and answers once this instance's
 * copy of the keys no longer holds them. From then on no copy of the request's personal fields (decisions, the overdue
 * topic, the stores and their changelogs, dead letters) can be decrypted, while
 * its status, reasons and history remain. Logged with the request id and who erased it.
 */
final class Eraser implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Eraser.class);
    private static final Duration APPLY_TIMEOUT = Duration.ofSeconds(30);

    private final RouterSettings settings;
    private final Supplier<KafkaStreams> streams;
    private KafkaProducer<String, byte[]> producer;

    Eraser(final RouterSettings settings, final Supplier<KafkaStreams> streams) {
        this.settings = settings;
        this.streams = streams;
    }

    /** @param status the request's status as {@code GET /requests/{id}} answers it, asked again once erased */
    Answer erase(final String requestId, final String who, final Supplier<Answer> status) {
        if (!settings.router().personalDataEncrypted()) {
            return Answer.error(409, "PLAIN_MODE", "This router keeps personal data in clear (" + "mla.personal.data.protection=plain):"
                    + " there is no key to erase");
        }
        final Answer before = status.get();
        if (before.status() == 404) {
            return Answer.error(404, "UNKNOWN_REQUEST", "No request " + requestId + " was decided by this router");
        }
        if (before.status() != 200) {
            return before;
        }
        final String topic = settings.router().topic(TopicRole.KEYS);
        final java.util.List<String> keyIds = new java.util.ArrayList<>(List.of(requestId));
        try {
            keyIds.addAll(deadLetterKeysOf(requestId, dataKeys()));
        } catch (final InvalidStateStoreException e) {
            return Answer.error(503, "This instance's copy of the keys is being restored; erase again in a moment");
        }
        try {
            for (final String keyId : keyIds) {
                producer().send(new ProducerRecord<>(topic, keyId, null)).get(30, TimeUnit.SECONDS);
            }
        } catch (final ExecutionException | TimeoutException e) {
            return Answer.error(503, "The erasure was not written to " + topic + ": " + (e.getCause() == null ? e : e.getCause()).getMessage());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return Answer.error(503, "Interrupted");
        }
        LOG.info("Personal data of {} erased by {} (the tombstones of its data key and of {} dead letters' keys written to {})", requestId, who,
                keyIds.size() - 1, topic);
        final long deadline = System.nanoTime() + APPLY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                final ReadOnlyKeyValueStore<String, byte[]> keys = dataKeys();
                if (keyIds.stream().allMatch(keyId -> keys.get(keyId) == null)) {
                    final Answer after = status.get();
                    return after.status() == 200 ? new Answer(200, ((com.fasterxml.jackson.databind.node.ObjectNode) after.json().deepCopy())
                            .put("personalData", "erased")) : after;
                }
            } catch (final InvalidStateStoreException e) {
                // being restored: asked again below
            }
            try {
                TimeUnit.MILLISECONDS.sleep(100);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                return Answer.error(503, "Interrupted");
            }
        }
        return Answer.error(504, "The erasure of " + requestId + " was written, and this instance has not read it within "
                + APPLY_TIMEOUT.toSeconds() + " s; it takes effect when it does");
    }

    private ReadOnlyKeyValueStore<String, byte[]> dataKeys() {
        return streams.get().store(StoreQueryParameters.fromNameAndType(RouterTopology.DATA_KEYS_STORE,
                QueryableStoreTypes.<String, byte[]>keyValueStore()));
    }

    /** The ids of the keys of the dead letters that duplicate a request (each dead-letter topic's keys are few: scanned whole). */
    private List<String> deadLetterKeysOf(final String requestId, final ReadOnlyKeyValueStore<String, byte[]> keys) {
        final java.util.List<String> found = new java.util.ArrayList<>();
        for (final TopicRole role : List.of(TopicRole.DEAD_LETTERS, TopicRole.REVIEW_DEAD_LETTERS)) {
            final String prefix = DeadLetterSeal.prefix(settings.router().topic(role));
            try (KeyValueIterator<String, byte[]> letters = keys.range(prefix, prefix + "\uffff")) {
                letters.forEachRemaining(letter -> {
                    if (DeadLetterSeal.requestIdOf(letter.key).filter(requestId::equals).isPresent()) {
                        found.add(letter.key);
                    }
                });
            }
        }
        return found;
    }

    private synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            final Map<String, Object> properties = settings.producerProperties();
            properties.put(ProducerConfig.ACKS_CONFIG, "all");
            properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            properties.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, settings.applicationId() + "-erase");
            producer = new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
        }
    }
}
