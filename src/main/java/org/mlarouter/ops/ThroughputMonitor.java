package org.mlarouter.ops;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.mlarouter.clients.AdminCalls;
import org.mlarouter.config.RouterConfig;
import org.mlarouter.config.TopicRole;

/**
 * Topic throughput without extra infrastructure: counts the records of the router's topics ({@link RecordCounter}:
 * committed records, not offsets, which also number transaction markers) and samples the router's committed offsets on
 * its input, and gives records per second between two samples and the consumer lag (in offsets).
 */
public final class ThroughputMonitor implements AutoCloseable {

    private final Admin admin;
    private final RecordCounter counter;
    private final List<String> topics;
    private final String inputTopic;
    private final String groupId;

    public ThroughputMonitor(final Admin admin, final RecordCounter counter, final List<String> topics, final String inputTopic, final String groupId) {
        this.admin = admin;
        this.counter = counter;
        this.topics = List.copyOf(topics);
        this.inputTopic = inputTopic;
        this.groupId = groupId;
    }

    /** The records of every topic (summed over partitions), whether all were counted, and the router's lag, at one moment. */
    public static final class Sample {
        public final Instant at;
        public final Map<String, Long> records;
        public final boolean complete;
        public final long lag;

        Sample(final Instant at, final Map<String, Long> records, final boolean complete, final long lag) {
            this.at = at;
            this.records = records;
            this.complete = complete;
            this.lag = lag;
        }

        /** Records per second on each topic between an earlier sample and this one. */
        public Map<String, Double> ratesSince(final Sample earlier) {
            final double seconds = Math.max(0.001, Duration.between(earlier.at, at).toMillis() / 1000.0);
            final Map<String, Double> rates = new LinkedHashMap<>();
            records.forEach((topic, count) -> rates.put(topic, (count - earlier.records.getOrDefault(topic, count)) / seconds));
            return rates;
        }
    }

    /**
     * A sample: the records committed since the last one counted (for at most {@code counting}; what is left is counted
     * at the next), and the router's lag on its input.
     */
    public Sample sample(final Duration counting) throws InterruptedException {
        final RecordCounter.Count count = counter.catchUp(counting);
        final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        final Map<String, TopicDescription> descriptions = AdminCalls.call("describe topic " + inputTopic,
                () -> admin.describeTopics(List.of(inputTopic)).allTopicNames().get(30, TimeUnit.SECONDS));
        descriptions.forEach((topic, description) -> description.partitions()
                .forEach(partition -> latest.put(new TopicPartition(topic, partition.partition()), OffsetSpec.latest())));
        final Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = AdminCalls.call("list end offsets",
                () -> admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS));
        final Map<TopicPartition, OffsetAndMetadata> committed = AdminCalls.call("list the offsets of group " + groupId,
                () -> admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS));
        long lag = 0;
        for (final Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end : ends.entrySet()) {
            final OffsetAndMetadata position = committed == null ? null : committed.get(end.getKey());
            lag += end.getValue().offset() - (position == null ? 0 : position.offset());
        }
        return new Sample(Instant.now(), count.records(), count.complete(), Math.max(0, lag));
    }

    @Override
    public void close() {
        counter.close();
    }

    /** A table of one sample and its rates, for a terminal. */
    public String table(final Sample previous, final Sample current) {
        final StringBuilder text = new StringBuilder();
        text.append(String.format("%-34s %12s %10s%n", "topic", "records", "records/s"));
        final Map<String, Double> rates = current.ratesSince(previous);
        for (final String topic : topics) {
            text.append(String.format("%-34s %12d %10.1f%n", topic, current.records.get(topic), rates.get(topic)));
        }
        if (!current.complete) {
            text.append("(still counting: the topics hold more records than were read so far)").append(System.lineSeparator());
        }
        text.append(String.format("router lag (group %s on %s): %d%n", groupId, inputTopic, current.lag));
        return text.toString();
    }

    /** One JSON object of one sample and its rates, for scripts. */
    public String json(final Sample previous, final Sample current) {
        final com.fasterxml.jackson.databind.node.ObjectNode line = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        line.put("time", current.at.toString());
        final com.fasterxml.jackson.databind.node.ObjectNode perTopic = line.putObject("topics");
        final Map<String, Double> rates = current.ratesSince(previous);
        for (final String topic : topics) {
            perTopic.putObject(topic).put("records", current.records.get(topic)).put("perSecond", Math.round(rates.get(topic) * 10) / 10.0);
        }
        line.put("complete", current.complete);
        line.put("group", groupId);
        line.put("lag", current.lag);
        return line.toString();
    }

    /** The router's topics, in the order of {@link TopicRole}, as the table shows them. */
    public static List<String> routerTopics(final RouterConfig config) {
        return Arrays.stream(TopicRole.values()).map(config::topic).toList();
    }
}
