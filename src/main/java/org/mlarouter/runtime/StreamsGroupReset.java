package org.mlarouter.runtime;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.StreamsGroupDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.mlarouter.clients.AdminCalls;

/**
 * The reset of a router whose group is a streams group ({@code group.protocol=streams}, KIP-1071), which Kafka's
 * application reset tool does not handle: with the Admin client's streams-group calls, as
 * {@code kafka-streams-groups --reset-offsets --to-earliest --delete-all-internal-topics} does. The group itself, and
 * any group config an operator set on it, stay.
 */
final class StreamsGroupReset {

    private StreamsGroupReset() {
    }

    /** Whether the broker lists the application's group as a streams group. */
    static boolean isStreamsGroup(final Admin admin, final String applicationId) throws InterruptedException {
        final List<GroupListing> groups = List.copyOf(AdminCalls.call("list groups", () -> admin.listGroups().all().get(60, TimeUnit.SECONDS)));
        return groups.stream().anyMatch(group -> group.groupId().equals(applicationId) && group.type().orElse(null) == GroupType.STREAMS);
    }

    /** Refuses while the streams group has members. */
    static void requireStopped(final Admin admin, final String applicationId) throws InterruptedException {
        final StreamsGroupDescription group = AdminCalls.call("describe streams group " + applicationId,
                () -> admin.describeStreamsGroups(List.of(applicationId)).all().get(60, TimeUnit.SECONDS).get(applicationId));
        if (!group.members().isEmpty()) {
            throw new IllegalStateException("The router (streams group " + applicationId + ") is still running with "
                    + group.members().size() + " member(s): stop it before a reset");
        }
    }

    /** Moves the group's offsets on {@code inputTopics} to the earliest and deletes {@code internalTopics}. */
    static void reset(final Admin admin, final String applicationId, final List<String> inputTopics, final List<String> internalTopics)
            throws InterruptedException {
        final Set<TopicPartition> partitions = AdminCalls.call("describe " + inputTopics,
                () -> admin.describeTopics(inputTopics).allTopicNames().get(60, TimeUnit.SECONDS)).values().stream()
                .flatMap(topic -> topic.partitions().stream().map(partition -> new TopicPartition(topic.name(), partition.partition())))
                .collect(Collectors.toSet());
        final Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> earliest = AdminCalls.call("list offsets of " + inputTopics,
                () -> admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.earliest()))).all().get(60, TimeUnit.SECONDS));
        final Map<TopicPartition, OffsetAndMetadata> offsets = earliest.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, entry -> new OffsetAndMetadata(entry.getValue().offset())));
        AdminCalls.call("reset the offsets of streams group " + applicationId,
                () -> admin.alterStreamsGroupOffsets(applicationId, offsets).all().get(60, TimeUnit.SECONDS));
        AdminCalls.call("delete the internal topics of " + applicationId, () -> admin.deleteTopics(internalTopics).all().get(60, TimeUnit.SECONDS));
    }
}
