package org.mlarouter.clients;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.mlarouter.config.RouterSettings;
import org.mlarouter.config.TopicRole;
import org.mlarouter.topology.DeadLetterHeaders;
import org.mlarouter.topology.DeadLetterProductionHandler;
import org.mlarouter.topology.DeadLetterSeal;

/**
 * {@code dlq list} and {@code dlq replay} (docs/contract.md, "Agencies over HTTPS"): the dead letters of the request or
 * review dead-letter topic by their headers, never their content; and their original bytes sent back, under their
 * original key and headers, to the topic they came from, once the cause (a schema or registry mistake) is fixed.
 * A replayed record carries {@value #REPLAYED_FROM} naming its dead letter ({@code topic-partition@offset}); a replay
 * first reads the input topic for those headers, so a dead letter replayed once is never sent again.
 */
public final class DeadLetterTool {

    /** The header a replayed record carries: the dead letter it came from. */
    public static final String REPLAYED_FROM = "mla.replayed.from";

    /** One dead letter as the list shows it: where it is, when, why, where from; no content. */
    public record Letter(String at, Instant time, String reason, String stage, String source, Optional<String> requestId, boolean valueKept) {
    }

    /**
     * What a replay did: sent; already replayed before; dead letters of a replay (failed again: not sent again, or a
     * record that always fails would go round for ever); not replayable (value not kept, or its key deleted).
     */
    public record Replayed(int sent, int alreadyReplayed, int failedAgain, int unreadable) {
    }

    private final RouterSettings settings;
    private final String deadLetters;
    private final String input;

    /** @param reviews the review dead-letter topic (back to the review topic), else the request one (back to requests) */
    public DeadLetterTool(final RouterSettings settings, final boolean reviews) {
        this.settings = settings;
        this.deadLetters = settings.router().topic(reviews ? TopicRole.REVIEW_DEAD_LETTERS : TopicRole.DEAD_LETTERS);
        this.input = settings.router().topic(reviews ? TopicRole.REVIEWS : TopicRole.REQUESTS);
    }

    public String deadLetterTopic() {
        return deadLetters;
    }

    public String inputTopic() {
        return input;
    }

    /** The dead letters written since {@code since} (all of them when empty) whose reason is {@code reason} (any when empty). */
    public List<Letter> list(final Optional<String> reason, final Optional<Instant> since) {
        final List<Letter> letters = new ArrayList<>();
        read(deadLetters, since, record -> {
            final Letter letter = letter(record);
            if (reason.map(letter.reason()::equals).orElse(true)) {
                letters.add(letter);
            }
        });
        return letters;
    }

    /**
     * Sends the matching dead letters' original bytes back to the input topic, each once; in encrypted mode a sealed
     * one is opened with its own key, read with the configured key-encryption key.
     */
    public Replayed replay(final Optional<String> reason, final Optional<Instant> since) throws InterruptedException {
        try (DataKeyReader keys = settings.router().keyEncryptionKeys().map(kek -> new DataKeyReader(settings, kek)).orElse(null)) {
            return replay(reason, since, Optional.ofNullable(keys));
        }
    }

    /** As {@link #replay(Optional, Optional)}, {@code keys} opening sealed dead letters (empty in plain mode). */
    private Replayed replay(final Optional<String> reason, final Optional<Instant> since, final Optional<DataKeyReader> keys)
            throws InterruptedException {
        final Set<String> replayed = new HashSet<>();
        read(input, since, record -> {
            final String from = DeadLetterHeaders.text(record.headers(), REPLAYED_FROM);
            if (from != null) {
                replayed.add(from);
            }
        });
        final List<ProducerRecord<byte[], byte[]>> toSend = new ArrayList<>();
        final int[] already = {0};
        final int[] unreadable = {0};
        final int[] failedAgain = {0};
        read(deadLetters, since, record -> {
            final Letter letter = letter(record);
            if (!reason.map(letter.reason()::equals).orElse(true)) {
                return;
            }
            if (replayed.contains(letter.at())) {
                already[0]++;
                return;
            }
            if (DeadLetterHeaders.text(record.headers(), REPLAYED_FROM) != null) {
                failedAgain[0]++;
                return;
            }
            final Optional<byte[]> original = !letter.valueKept() ? Optional.empty()
                    : keys.isPresent() ? keys.get().deadLetterValue(record.headers(), record.value())
                    : DeadLetterSeal.sealed(record.value()) ? Optional.empty() : Optional.ofNullable(record.value());
            if (original.isEmpty()) {
                unreadable[0]++;
                return;
            }
            final RecordHeaders headers = new RecordHeaders();
            for (final Header header : record.headers()) {
                if (!header.key().startsWith("mla.dlq.") && !header.key().startsWith("__streams.errors.")) {
                    headers.add(header);
                }
            }
            headers.add(REPLAYED_FROM, letter.at().getBytes(StandardCharsets.UTF_8));
            toSend.add(new ProducerRecord<>(input, null, record.key(), original.get(), headers));
        });
        send(toSend);
        return new Replayed(toSend.size(), already[0], failedAgain[0], unreadable[0]);
    }

    private void send(final List<ProducerRecord<byte[], byte[]>> records) throws InterruptedException {
        try (KafkaProducer<byte[], byte[]> producer = new Clients(settings).rawProducer("replay", Map.of())) {
            final List<Future<RecordMetadata>> sends = new ArrayList<>();
            records.forEach(record -> sends.add(producer.send(record)));
            for (final Future<RecordMetadata> sent : sends) {
                try {
                    sent.get(60, TimeUnit.SECONDS);
                } catch (final ExecutionException | TimeoutException e) {
                    throw new IllegalStateException("A replayed record was not written to " + input + ": "
                            + (e.getCause() == null ? e : e.getCause()).getMessage(), e);
                }
            }
        }
    }

    private Letter letter(final ConsumerRecord<byte[], byte[]> record) {
        final String at = record.topic() + "-" + record.partition() + "@" + record.offset();
        final String source = DeadLetterHeaders.source(record.headers());
        final String keyId = DeadLetterHeaders.text(record.headers(), DeadLetterSeal.KEY_HEADER);
        final Optional<String> requestId = keyId != null ? DeadLetterSeal.requestIdOf(keyId)
                : "DUPLICATE_REQUEST_ID".equals(DeadLetterHeaders.text(record.headers(), DeadLetterHeaders.REASON)) && record.key() != null
                ? Optional.of(new String(record.key(), StandardCharsets.UTF_8)) : Optional.empty();
        return new Letter(at, Instant.ofEpochMilli(record.timestamp()), orUnknown(DeadLetterHeaders.text(record.headers(), DeadLetterHeaders.REASON)),
                orUnknown(DeadLetterHeaders.text(record.headers(), DeadLetterHeaders.STAGE)), source, requestId,
                DeadLetterHeaders.text(record.headers(), DeadLetterProductionHandler.VALUE_DROPPED) == null && record.value() != null);
    }

    /** Reads a topic's committed records from {@code since} (or its beginning) to its end as it is now. */
    private void read(final String topic, final Optional<Instant> since, final java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> sink) {
        try (KafkaConsumer<byte[], byte[]> consumer = new Clients(settings).rawConsumer()) {
            final List<TopicPartition> partitions = TopicReader.assign(consumer, List.of(topic), true);
            if (since.isPresent()) {
                final Map<TopicPartition, Long> times = new HashMap<>();
                partitions.forEach(partition -> times.put(partition, since.get().toEpochMilli()));
                final Map<TopicPartition, OffsetAndTimestamp> from = consumer.offsetsForTimes(times, Duration.ofSeconds(30));
                final Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
                partitions.forEach(partition -> consumer.seek(partition, from.get(partition) == null ? ends.get(partition) : from.get(partition).offset()));
            }
            TopicReader.readToEnd(consumer, partitions, Duration.ofMinutes(5), sink);
        }
    }

    private static String orUnknown(final String value) {
        return value == null ? "unknown" : value;
    }
}
