package org.mlarouter.clients;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.mlarouter.config.RouterConfig;
import org.mlarouter.config.TopicRole;

/**
 * The router's topics ({@link TopicRole}): which exist, and creating the missing ones. The treaty topic is compacted
 * with one partition (reference data, read whole by every instance); the data-key topic is compacted; the others have
 * the given number of partitions and an explicit retention ({@code mla.topic.*.retention}: 14 days for requests and
 * dead letters, {@code mla.request.retention} for decisions, overdue reviews and outcomes).
 */
public final class TopicSetup {

    private final Admin admin;
    private final RouterConfig config;

    public TopicSetup(final Admin admin, final RouterConfig config) {
        this.admin = admin;
        this.config = config;
    }

    /** Every topic the router reads or writes ({@link TopicRole}), with how it is created. */
    public List<NewTopic> topics(final int partitions, final short replicationFactor) {
        final List<NewTopic> topics = new ArrayList<>();
        for (final TopicRole role : TopicRole.values()) {
            topics.add(switch (role.layout()) {
                case COMPACTED_SINGLE_PARTITION -> new NewTopic(config.topic(role), 1, replicationFactor)
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
                case COMPACTED -> new NewTopic(config.topic(role), partitions, replicationFactor)
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
                case KEPT_SINGLE_PARTITION -> new NewTopic(config.topic(role), 1, replicationFactor)
                        .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1"));
                case PARTITIONED -> new NewTopic(config.topic(role), partitions, replicationFactor).configs(Map.of(TopicConfig.RETENTION_MS_CONFIG,
                        String.valueOf(config.topicRetention(role).orElseThrow().toMillis())));
            });
        }
        return topics;
    }

    /** Names of the router's topics that do not exist. */
    public List<String> missing() throws InterruptedException {
        final Set<String> existing = existing();
        final List<String> missing = new ArrayList<>();
        for (final NewTopic topic : topics(1, (short) 1)) {
            if (!existing.contains(topic.name())) {
                missing.add(topic.name());
            }
        }
        return missing;
    }

    /** Creates the topics that do not exist; returns their names. */
    public List<String> createMissing(final int partitions, final short replicationFactor) throws InterruptedException {
        final Set<String> existing = existing();
        final Map<String, NewTopic> toCreate = new LinkedHashMap<>();
        for (final NewTopic topic : topics(partitions, replicationFactor)) {
            if (!existing.contains(topic.name())) {
                toCreate.put(topic.name(), topic);
            }
        }
        if (toCreate.isEmpty()) {
            return List.of();
        }
        try {
            admin.createTopics(toCreate.values()).all().get(60, TimeUnit.SECONDS);
        } catch (final ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("Cannot create topics " + toCreate.keySet() + ": " + e.getCause().getMessage(), e.getCause());
            }
        } catch (final TimeoutException e) {
            throw new IllegalStateException("Creating topics " + toCreate.keySet() + " took more than 60 s");
        }
        return new ArrayList<>(toCreate.keySet());
    }

    private Set<String> existing() throws InterruptedException {
        return AdminCalls.call("list topics", () -> admin.listTopics().names().get(60, TimeUnit.SECONDS));
    }
}
