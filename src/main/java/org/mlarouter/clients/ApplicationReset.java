package org.mlarouter.clients;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * Resets the router so that it processes its input again from the beginning, as Kafka's
 * {@code kafka-streams-application-reset} does: deletes the application's consumer group (committed offsets), its
 * internal topics and its local state. Refuses while an instance of the router is running.
 */
public final class ApplicationReset {

    private final Admin admin;
    private final String applicationId;

    public ApplicationReset(final Admin admin, final String applicationId) {
        this.admin = admin;
        this.applicationId = applicationId;
    }

    /** What a reset did. */
    public static final class Result {
        public final boolean groupDeleted;
        public final List<String> topicsDeleted;
        public final boolean stateDeleted;

        Result(final boolean groupDeleted, final List<String> topicsDeleted, final boolean stateDeleted) {
            this.groupDeleted = groupDeleted;
            this.topicsDeleted = List.copyOf(topicsDeleted);
            this.stateDeleted = stateDeleted;
        }
    }

    public Result reset(final Path stateDir) throws InterruptedException, IOException {
        final boolean groupDeleted = deleteGroup();
        final List<String> internalTopics = internalTopics();
        if (!internalTopics.isEmpty()) {
            AdminCalls.call("delete topics " + internalTopics, () -> admin.deleteTopics(internalTopics).all().get(60, TimeUnit.SECONDS));
        }
        final Path appState = stateDir.resolve(applicationId);
        final boolean stateDeleted = Files.exists(appState);
        if (stateDeleted) {
            try (Stream<Path> paths = Files.walk(appState)) {
                for (final Path path : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                    Files.delete(path);
                }
            }
        }
        return new Result(groupDeleted, internalTopics, stateDeleted);
    }

    private boolean deleteGroup() throws InterruptedException {
        final ConsumerGroupDescription group;
        try {
            group = admin.describeConsumerGroups(List.of(applicationId)).all().get(60, TimeUnit.SECONDS).get(applicationId);
        } catch (final ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return false;
            }
            throw new IllegalStateException("Cannot describe consumer group " + applicationId + ": " + e.getCause().getMessage(), e.getCause());
        } catch (final TimeoutException e) {
            throw new IllegalStateException("The Kafka cluster did not answer within 60 s");
        }
        if (!group.members().isEmpty()) {
            throw new IllegalStateException("The router (consumer group " + applicationId + ") is still running with "
                    + group.members().size() + " member(s): stop it before a reset");
        }
        try {
            admin.deleteConsumerGroups(List.of(applicationId)).all().get(60, TimeUnit.SECONDS);
            return true;
        } catch (final ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return false;
            }
            throw new IllegalStateException("Cannot delete consumer group " + applicationId + ": " + e.getCause().getMessage(), e.getCause());
        } catch (final TimeoutException e) {
            throw new IllegalStateException("The Kafka cluster did not answer within 60 s");
        }
    }

    private List<String> internalTopics() throws InterruptedException {
        final Set<String> names = AdminCalls.call("list topics", () -> admin.listTopics().names().get(60, TimeUnit.SECONDS));
        final List<String> internal = new ArrayList<>();
        for (final String name : names) {
            if (name.startsWith(applicationId + "-") && (name.endsWith("-changelog") || name.endsWith("-repartition"))) {
                internal.add(name);
            }
        }
        return internal;
    }
}
