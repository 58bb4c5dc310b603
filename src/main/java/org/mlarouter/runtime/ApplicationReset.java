package org.mlarouter.runtime;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.tools.StreamsResetter;
import org.mlarouter.clients.AdminCalls;
import org.mlarouter.clients.Clients;
import org.mlarouter.config.RouterSettings;
import org.mlarouter.topology.RouterTopology;

/**
 * Resets the router so that it processes its input again from the beginning, with Kafka's own tools: the application
 * reset tool ({@link StreamsResetter}: the committed offsets of every topic the router reads in a task, requests and
 * review outcomes, back to the earliest, the internal
 * topics deleted) and {@link KafkaStreams#cleanUp()} for this machine's local state; for a streams group
 * ({@code group.protocol=streams}), which that tool does not handle, the same with the Admin client
 * ({@link StreamsGroupReset}). Refuses while an instance of the router is running.
 */
public final class ApplicationReset {

    private final RouterSettings settings;

    public ApplicationReset(final RouterSettings settings) {
        this.settings = settings;
    }

    /** What a reset did. */
    public record Result(List<String> inputTopics, List<String> topicsDeleted, Path localState, boolean stateDeleted) {
    }

    /**
     * The topics the router's tasks read, whose offsets a reset moves back: the requests and the review outcomes (an
     * outcome read again meets its request read again: it waits for it, see {@code mla.review.await.request}), and in
     * encrypted mode the keys topic, so that each erasure is applied again after the request it erases is decided again.
     * The treaty topic is read whole at every start, by a global store, and has no offsets to reset.
     */
    static List<String> inputTopics(final RouterSettings settings) {
        return InputTopics.names(settings);
    }

    public Result reset() throws InterruptedException, IOException {
        final String applicationId = settings.applicationId();
        final List<String> inputTopics = inputTopics(settings);
        final List<String> internalTopics;
        final boolean streamsGroup;
        try (Admin admin = new Clients(settings).admin()) {
            streamsGroup = StreamsGroupReset.isStreamsGroup(admin, applicationId);
            if (streamsGroup) {
                StreamsGroupReset.requireStopped(admin, applicationId);
            } else {
                requireStopped(admin, applicationId);
            }
            internalTopics = internalTopics(admin, applicationId);
            if (streamsGroup) {
                StreamsGroupReset.reset(admin, applicationId, inputTopics, internalTopics);
            }
        }
        if (!streamsGroup) {
            runResetTool(applicationId, inputTopics);
        }
        final Properties streamsProperties = settings.streamsProperties(RouterTopology.requiredStreamsConfig(settings.router()));
        final Path localState = Path.of(streamsProperties.getProperty(StreamsConfig.STATE_DIR_CONFIG, defaultStateDir()), applicationId);
        final boolean stateExisted = holdsState(localState);
        try (KafkaStreams streams = new KafkaStreams(RouterTopology.build(settings.router()), streamsProperties)) {
            streams.cleanUp();
        }
        return new Result(inputTopics, internalTopics, localState, stateExisted && !holdsState(localState));
    }

    private void runResetTool(final String applicationId, final List<String> inputTopics) throws IOException {
        final Path clientConfig = Files.createTempFile("mla-router-reset", ".properties");
        try {
            writeClientConfig(clientConfig);
            final int exitCode = new StreamsResetter().execute(new String[] {"--application-id", applicationId,
                "--bootstrap-server", settings.bootstrapServers(), "--input-topics", String.join(",", inputTopics),
                "--command-config", clientConfig.toString()});
            if (exitCode != 0) {
                throw new IllegalStateException("Kafka's application reset tool failed for " + applicationId + " (see its output above)");
            }
        } finally {
            Files.deleteIfExists(clientConfig);
        }
    }

    /** Whether the application's state directory holds any task's or the global state (a directory of its own each). */
    static boolean holdsState(final Path applicationStateDir) throws IOException {
        if (!Files.isDirectory(applicationStateDir)) {
            return false;
        }
        try (java.util.stream.Stream<Path> entries = Files.list(applicationStateDir)) {
            return entries.anyMatch(Files::isDirectory);
        }
    }

    /** Kafka Streams' default {@code state.dir}. */
    private static String defaultStateDir() {
        return String.valueOf(StreamsConfig.configDef().defaultValues().get(StreamsConfig.STATE_DIR_CONFIG));
    }

    /** The connection and security settings for the reset tool's clients (it reads them from a file). */
    private void writeClientConfig(final Path file) throws IOException {
        final Properties properties = new Properties();
        for (final Map.Entry<String, Object> entry : settings.adminProperties().entrySet()) {
            properties.setProperty(entry.getKey(), String.valueOf(entry.getValue()));
        }
        try (Writer writer = Files.newBufferedWriter(file)) {
            properties.store(writer, null);
        }
    }

    private static void requireStopped(final Admin admin, final String applicationId) throws InterruptedException {
        final ConsumerGroupDescription group;
        try {
            group = admin.describeConsumerGroups(List.of(applicationId)).all().get(60, TimeUnit.SECONDS).get(applicationId);
        } catch (final ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return;
            }
            throw new IllegalStateException("Cannot describe consumer group " + applicationId + ": " + e.getCause().getMessage(), e.getCause());
        } catch (final TimeoutException e) {
            throw new IllegalStateException("The Kafka cluster did not answer within 60 s");
        }
        if (!group.members().isEmpty()) {
            throw new IllegalStateException("The router (consumer group " + applicationId + ") is still running with "
                    + group.members().size() + " member(s): stop it before a reset");
        }
    }

    /** The internal topics the reset tool deletes: the application's, in Kafka Streams' naming. */
    private static List<String> internalTopics(final Admin admin, final String applicationId) throws InterruptedException {
        final List<String> internal = new ArrayList<>();
        for (final String name : AdminCalls.call("list topics", () -> admin.listTopics().names().get(60, TimeUnit.SECONDS))) {
            if (name.startsWith(applicationId + "-") && StreamsResetter.matchesInternalTopicFormat(name)) {
                internal.add(name);
            }
        }
        internal.sort(null);
        return internal;
    }
}
