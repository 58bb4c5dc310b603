package org.mlarouter.clients;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads topics without a consumer group (nothing is committed), from the beginning or from the end, with
 * {@code read_committed} so only records of committed transactions are seen.
 */
public final class TopicReader {

    private TopicReader() {
    }

    /** Assigns every partition of the topics and seeks to their beginning or end. */
    public static <K, V> List<TopicPartition> assign(final KafkaConsumer<K, V> consumer, final List<String> topics, final boolean fromBeginning) {
        final List<TopicPartition> partitions = new ArrayList<>();
        for (final String topic : topics) {
            final List<org.apache.kafka.common.PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("Topic " + topic + " does not exist (the router creates its topics with"
                        + " 'run --create-topics'; the embedded stack always does)");
            }
            infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        }
        consumer.assign(partitions);
        if (fromBeginning) {
            consumer.seekToBeginning(partitions);
        } else {
            consumer.seekToEnd(partitions);
        }
        return partitions;
    }

    /**
     * Hands every record from the current positions up to the end offsets as they are now to {@code sink}.
     *
     * @throws IllegalStateException if the end is not reached within the timeout
     */
    public static <K, V> void readToEnd(final KafkaConsumer<K, V> consumer, final List<TopicPartition> partitions,
                                        final Duration timeout, final Consumer<ConsumerRecord<K, V>> sink) {
        final Map<TopicPartition, Long> endOffsets = consumer.endOffsets(partitions, Duration.ofSeconds(30));
        final Instant deadline = Instant.now().plus(timeout);
        while (!reached(consumer, endOffsets)) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("Could not read " + partitions + " to the end within " + timeout.toSeconds() + " s");
            }
            consumer.poll(Duration.ofMillis(200)).forEach(sink);
        }
    }

    private static boolean reached(final KafkaConsumer<?, ?> consumer, final Map<TopicPartition, Long> endOffsets) {
        for (final Map.Entry<TopicPartition, Long> end : endOffsets.entrySet()) {
            if (consumer.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }
}
