package org.mlarouter.clients;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.crypto.SecretKey;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.mlarouter.avro.RoutingDecision;
import org.mlarouter.config.RouterSettings;
import org.mlarouter.config.TopicRole;
import org.mlarouter.privacy.FieldCipher;
import org.mlarouter.privacy.KeyEncryptionKeys;
import org.mlarouter.privacy.PersonalData;
import org.mlarouter.topology.DeadLetterSeal;

/**
 * The data keys of requests, for a Java consumer that holds the key-encryption keys: the compacted keys topic read to
 * its end (committed records only; a tombstone is an erased request), and read again, at most every few seconds, when a
 * request's key is not there yet. {@link #opened} gives a decision with its request's personal data in clear, or marked
 * not readable when its key is erased or unknown. Not thread-safe: one per consumer thread.
 */
public final class DataKeyReader implements AutoCloseable {

    /** What a personal field shows when it cannot be decrypted. */
    public static final String UNREADABLE = "(not readable: erased)";
    private static final Duration REREAD = Duration.ofSeconds(5);

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<TopicPartition> partitions;
    private final KeyEncryptionKeys keyEncryptionKeys;
    private final Map<String, byte[]> wrapped = new HashMap<>();
    /** When the keys topic was last read to its end (System.nanoTime), or null before the first time. */
    private Long readAt;

    public DataKeyReader(final RouterSettings settings, final KeyEncryptionKeys keyEncryptionKeys) {
        final Map<String, Object> properties = settings.consumerProperties();
        properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer());
        this.partitions = TopicReader.assign(consumer, List.of(settings.router().topic(TopicRole.KEYS)), true);
        this.keyEncryptionKeys = keyEncryptionKeys;
    }

    /** The data key of a request, if it is there (not erased). */
    public Optional<SecretKey> of(final String requestId) {
        if (!wrapped.containsKey(requestId) && (readAt == null || System.nanoTime() - readAt >= REREAD.toNanos())) {
            TopicReader.readToEnd(consumer, partitions, Duration.ofSeconds(30), record -> {
                if (record.value() == null) {
                    wrapped.remove(record.key());
                    wrapped.put(record.key(), null); // erased: known, and never readable
                } else {
                    wrapped.put(record.key(), record.value());
                }
            });
            readAt = System.nanoTime();
        }
        final byte[] key = wrapped.get(requestId);
        return key == null ? Optional.empty() : Optional.of(keyEncryptionKeys.unwrap(requestId, key));
    }

    /** The decision with its request's personal data in clear; marked {@value #UNREADABLE} where it cannot be decrypted. */
    public RoutingDecision opened(final RoutingDecision decision) {
        if (!PersonalData.sealed(decision.getRequest())) {
            return decision;
        }
        try {
            final Optional<SecretKey> key = of(decision.getRequestId());
            if (key.isPresent()) {
                return PersonalData.open(decision, key.get());
            }
        } catch (final FieldCipher.UndecryptableException e) {
            // another key-encryption key's, or altered: not readable
        }
        return PersonalData.unreadable(decision, UNREADABLE);
    }

    /**
     * A dead letter's original value bytes: as they are when it was written in plain mode, decrypted with its own key
     * ({@link DeadLetterSeal}) otherwise; empty when that key is deleted (its request erased, or the dead letter past its
     * topic's retention) or does not unwrap.
     */
    public Optional<byte[]> deadLetterValue(final Iterable<Header> headers, final byte[] value) {
        return DeadLetterSeal.originalValue(headers, value, this::of);
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
