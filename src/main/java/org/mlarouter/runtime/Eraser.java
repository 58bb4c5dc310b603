package org.mlarouter.runtime;

import java.time.Duration;
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
import org.mlarouter.config.RouterSettings;
import org.mlarouter.config.TopicRole;
import org.mlarouter.ops.OperatorView.Answer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Erases a request's personal data (docs/contract.md, "Personal data"): writes the tombstone of its data key to the keys
 * topic and answers once the router has applied it (its status says {@code "personalData": "erased"}: the router's
 * copy of the key is gone, and so are the keys of the dead letters that duplicate it, {@code DataKeyKeeper}). From then on no copy of the request's personal fields (decisions, the overdue
 * topic, the stores and their changelogs, dead letters) can be decrypted, while
 * its status, reasons and history remain. Logged with the request id and who erased it.
 */
final class Eraser implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Eraser.class);
    private static final Duration APPLY_TIMEOUT = Duration.ofSeconds(30);

    private final RouterSettings settings;
    private KafkaProducer<String, byte[]> producer;

    Eraser(final RouterSettings settings) {
        this.settings = settings;
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
        try {
            producer().send(new ProducerRecord<>(topic, requestId, null)).get(30, TimeUnit.SECONDS);
        } catch (final ExecutionException | TimeoutException e) {
            return Answer.error(503, "The erasure was not written to " + topic + ": " + (e.getCause() == null ? e : e.getCause()).getMessage());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return Answer.error(503, "Interrupted");
        }
        LOG.info("Personal data of {} erased by {} (its data key's tombstone written to {})", requestId, who, topic);
        final long deadline = System.nanoTime() + APPLY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            final Answer after = status.get();
            if (after.status() == 200 && "erased".equals(after.json().path("personalData").asText())) {
                return after;
            }
            try {
                TimeUnit.MILLISECONDS.sleep(100);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                return Answer.error(503, "Interrupted");
            }
        }
        return Answer.error(504, "The erasure of " + requestId + " was written, and the router has not applied it within "
                + APPLY_TIMEOUT.toSeconds() + " s; it takes effect when it does");
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
