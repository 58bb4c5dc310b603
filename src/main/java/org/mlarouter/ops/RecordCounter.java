package org.mlarouter.ops;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Counts the records of topics, not their offsets: an offset also numbers each transaction's commit marker (one per
 * partition a transaction wrote), so the end offsets of the router's exactly-once outputs say 10 for 5 decisions. It
 * reads the topics from their beginning once, committed records only, and then what is new at each call; it looks at no
 * record's content. Not thread-safe: one thread calls it.
 */
public final class RecordCounter implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(200);

    private final Consumer<byte[], byte[]> consumer;
    private final List<String> topics;
    private final Map<TopicPartition, Long> counted = new HashMap<>();
    private final Map<String, List<java.util.function.Consumer<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>>>> observers = new HashMap<>();

    public RecordCounter(final Consumer<byte[], byte[]> consumer, final List<String> topics) {
        this.consumer = consumer;
        this.topics = List.copyOf(topics);
    }

    /**
     * Shows {@code sink} each record counted on {@code topics}: the dead-letter page reads their headers, the statistics
     * the decisions. Set before the first count.
     */
    public RecordCounter observing(final Set<String> topics,
                                   final java.util.function.Consumer<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> sink) {
        topics.forEach(topic -> observers.computeIfAbsent(topic, ignored -> new ArrayList<>()).add(sink));
        return this;
    }

    /**
     * Reads what was committed to the topics since the last call, for at most {@code within}, and answers the records
     * counted per topic (in the order given) and whether the count reached the topics' ends as they were at the start
     * of the call. A count that did not goes on from there at the next call.
     */
    public Count catchUp(final Duration within) {
        final Set<TopicPartition> partitions = new HashSet<>();
        for (final String topic : topics) {
            final List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            if (infos != null) {
                infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            }
        }
        if (!partitions.equals(consumer.assignment())) {
            final List<TopicPartition> added = new ArrayList<>(partitions);
            added.removeAll(consumer.assignment());
            consumer.assign(partitions);
            consumer.seekToBeginning(added);
        }
        // Under read_committed, the end is the last stable offset: an open transaction's records are not counted yet.
        final Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(10));
        final Instant deadline = Instant.now().plus(within);
        while (!reached(ends) && Instant.now().isBefore(deadline)) {
            final ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
            for (final TopicPartition partition : records.partitions()) {
                counted.merge(partition, (long) records.records(partition).size(), Long::sum);
                for (final java.util.function.Consumer<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> sink
                        : observers.getOrDefault(partition.topic(), List.of())) {
                    records.records(partition).forEach(sink);
                }
            }
        }
        final Map<String, Long> byTopic = new LinkedHashMap<>();
        topics.forEach(topic -> byTopic.put(topic, 0L));
        counted.forEach((partition, count) -> byTopic.merge(partition.topic(), count, Long::sum));
        return new Count(byTopic, reached(ends));
    }

    /** Records per topic, and whether they are all of those committed when the count began. */
    public record Count(Map<String, Long> records, boolean complete) {
    }

    private boolean reached(final Map<TopicPartition, Long> ends) {
        for (final Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (consumer.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
    }
}
