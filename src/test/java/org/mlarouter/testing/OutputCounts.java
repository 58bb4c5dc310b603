package org.mlarouter.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.mlarouter.clients.TopicReader;
import org.mlarouter.config.RouterSettings;

/** Counts what reached the output topics: by key, reading only committed transactions, or roughly, by end offsets. */
public final class OutputCounts {

    private OutputCounts() {
    }

    /** A raw consumer with the settings' connection and security, reading committed records only, in no group. */
    public static KafkaConsumer<byte[], byte[]> rawConsumer(final RouterSettings settings) {
        final Map<String, Object> properties = settings.consumerProperties();
        properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** How many committed records each key has across the topics (a dead letter's key is the request's original key). */
    public static Map<String, Integer> committedByKey(final RouterSettings settings, final List<String> topics) {
        final Map<String, Integer> counts = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = rawConsumer(settings)) {
            final List<TopicPartition> partitions = TopicReader.assign(consumer, topics, true);
            TopicReader.readToEnd(consumer, partitions, Duration.ofSeconds(120),
                    record -> counts.merge(record.key() == null ? "(null)" : new String(record.key(), StandardCharsets.UTF_8), 1, Integer::sum));
        }
        return counts;
    }

    /** How many committed records each topic has. */
    public static Map<String, Integer> committedByTopic(final RouterSettings settings, final List<String> topics) {
        final Map<String, Integer> counts = new LinkedHashMap<>();
        topics.forEach(topic -> counts.put(topic, 0));
        try (KafkaConsumer<byte[], byte[]> consumer = rawConsumer(settings)) {
            final List<TopicPartition> partitions = TopicReader.assign(consumer, topics, true);
            TopicReader.readToEnd(consumer, partitions, Duration.ofSeconds(120), record -> counts.merge(record.topic(), 1, Integer::sum));
        }
        return counts;
    }

    /** The sum of the end offsets of the topics: records written so far, committed or not, plus transaction markers. */
    public static long endOffsets(final RouterSettings settings, final List<String> topics) {
        try (Admin admin = Admin.create(settings.adminProperties())) {
            final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(topics).allTopicNames().get().forEach((topic, description) -> description.partitions()
                    .forEach(partition -> latest.put(new TopicPartition(topic, partition.partition()), OffsetSpec.latest())));
            return admin.listOffsets(latest).all().get().values().stream().mapToLong(info -> info.offset()).sum();
        } catch (final Exception e) {
            return -1;
        }
    }
}
