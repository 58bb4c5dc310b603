package org.mlarouter.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.streams.StreamsConfig;
import org.mlarouter.avro.TreatyCoverage;
import org.mlarouter.clients.Clients;
import org.mlarouter.clients.TopicSetup;
import org.mlarouter.clients.TreatyPublisher;
import org.mlarouter.config.RouterConfig;
import org.mlarouter.config.RouterSettings;
import org.mlarouter.config.TopicRole;
import org.mlarouter.treaty.TreatyTable;

/**
 * One test's router on a {@link KafkaStack} or a {@link KafkaCluster}: an application id and topics of its own (each {@link TopicRole}'s default
 * name behind the test's prefix, created by the router's own {@link TopicSetup}), the {@link RouterSettings} that name
 * them, and those settings as the command line takes them, for the real entry point in this JVM ({@link Cli}) or in a
 * process of its own ({@link RouterProcess}).
 */
public final class RouterUnderTest {

    private final Brokers stack;
    private final String prefix;
    private final Map<String, String> given;
    private final RouterSettings settings;

    private RouterUnderTest(final Brokers stack, final String prefix, final Map<String, String> given) {
        this.stack = stack;
        this.prefix = prefix;
        this.given = Map.copyOf(given);
        this.settings = RouterSettings.of(given);
    }

    static RouterUnderTest create(final Brokers stack, final String prefix, final int partitions, final Map<String, String> clientSettings)
            throws InterruptedException {
        final Map<String, String> given = new HashMap<>(clientSettings);
        given.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        given.put(RouterConfig.SCHEMA_REGISTRY_URL_CONFIG, stack.registryUrl());
        given.put(StreamsConfig.APPLICATION_ID_CONFIG, prefix + "-router");
        SigningKeys.settings().forEach(given::putIfAbsent);
        for (final TopicRole role : TopicRole.values()) {
            given.put(role.configKey(), prefix + "." + role.defaultName());
        }
        final RouterUnderTest router = new RouterUnderTest(stack, prefix, given);
        try (Admin admin = router.clients().admin()) {
            new TopicSetup(admin, router.config()).createMissing(partitions, stack.replicationFactor());
        }
        // On three brokers, the one a client asks first may not know a topic yet when its creation returns: a client
        // would be told it does not exist. Wait until the topics answer (each call asks the broker afresh).
        try (org.apache.kafka.clients.consumer.KafkaConsumer<String, TreatyCoverage> consumer = router.clients().consumer(TreatyCoverage.class)) {
            for (final TopicRole role : TopicRole.values()) {
                Await.until("topic " + router.topic(role) + " known to the brokers", java.time.Duration.ofSeconds(30), () -> {
                    final List<org.apache.kafka.common.PartitionInfo> known = consumer.partitionsFor(router.topic(role), java.time.Duration.ofSeconds(5));
                    return known != null && !known.isEmpty();
                });
            }
        }
        return router;
    }

    /**
     * Sets group configs of the router's group, as {@code kafka-configs --entity-type groups --alter} does: under
     * {@code group.protocol=streams} the broker holds the session timeout, heartbeat interval and standby replicas per
     * group (docs/reliability.md).
     */
    public void configureGroup(final Map<String, String> groupConfigs) throws Exception {
        final ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, settings.applicationId());
        final List<AlterConfigOp> ops = groupConfigs.entrySet().stream()
                .map(entry -> new AlterConfigOp(new ConfigEntry(entry.getKey(), entry.getValue()), AlterConfigOp.OpType.SET)).toList();
        try (Admin admin = clients().admin()) {
            admin.incrementalAlterConfigs(Map.of(group, ops)).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** The type of the router's group as the broker lists it (classic, consumer, streams), empty while there is none. */
    public Optional<GroupType> groupType() throws Exception {
        try (Admin admin = clients().admin()) {
            return admin.listGroups().all().get(30, TimeUnit.SECONDS).stream().filter(group -> group.groupId().equals(settings.applicationId()))
                    .findFirst().flatMap(GroupListing::type);
        }
    }

    /** How many members the router's streams group has. */
    public int streamsGroupMemberCount() throws Exception {
        try (Admin admin = clients().admin()) {
            return admin.describeStreamsGroups(List.of(settings.applicationId())).all().get(30, TimeUnit.SECONDS)
                    .get(settings.applicationId()).members().size();
        }
    }

    /** The members of the router's streams group as the broker describes them, for failure messages. */
    public String streamsGroupMembers() throws Exception {
        try (Admin admin = clients().admin()) {
            return admin.describeStreamsGroups(List.of(settings.applicationId())).all().get(30, TimeUnit.SECONDS)
                    .get(settings.applicationId()).members().toString();
        }
    }

    /** The static instance ids ({@code group.instance.id}) of the members of the router's streams group, sorted; none for dynamic members. */
    public List<String> streamsGroupInstanceIds() throws Exception {
        try (Admin admin = clients().admin()) {
            return admin.describeStreamsGroups(List.of(settings.applicationId())).all().get(30, TimeUnit.SECONDS)
                    .get(settings.applicationId()).members().stream()
                    .flatMap(member -> member.instanceId().stream()).sorted().toList();
        }
    }

    /** The URL of the Schema Registry the router uses. */
    public String registryUrl() {
        return stack.registryUrl();
    }

    /** The test's prefix of topic names and request ids. */
    public String prefix() {
        return prefix;
    }

    public RouterSettings settings() {
        return settings;
    }

    public RouterConfig config() {
        return settings.router();
    }

    public String topic(final TopicRole role) {
        return config().topic(role);
    }

    /** The decision topics and the dead-letter topic: where every request ends. */
    public List<String> outputTopics() {
        final List<String> topics = new ArrayList<>(TopicRole.decisions().stream().map(this::topic).toList());
        topics.add(topic(TopicRole.DEAD_LETTERS));
        return topics;
    }

    /** Kafka clients as the router's tools make them, with the test's settings. */
    public Clients clients() {
        return new Clients(settings);
    }

    /** The same settings with some replaced or added. */
    public RouterUnderTest with(final Map<String, String> overrides) {
        final Map<String, String> merged = new HashMap<>(given);
        merged.putAll(overrides);
        return new RouterUnderTest(stack, prefix, merged);
    }

    /** Publishes the shipped treaty table to the test's treaty topic. */
    public RouterUnderTest publishShippedTreaties() {
        final TreatyPublisher publisher = new TreatyPublisher(topic(TopicRole.TREATIES), Clock.systemUTC());
        final Map<String, TreatyCoverage> current;
        try (KafkaConsumer<String, TreatyCoverage> consumer = clients().consumer(TreatyCoverage.class)) {
            current = publisher.current(consumer);
        }
        try (KafkaProducer<String, TreatyCoverage> producer = clients().producer(TreatyCoverage.class)) {
            publisher.publish(producer, TreatyTable.shipped(config().homeState()), current);
        }
        return this;
    }

    /** Every setting as {@code -p KEY=VALUE} options, for any command that talks to Kafka. */
    public List<String> options() {
        final List<String> options = new ArrayList<>();
        given.forEach((key, value) -> {
            options.add("-p");
            options.add(key + "=" + value);
        });
        return options;
    }

    /** The command line in this JVM, with the test's settings on every command. */
    public Cli cli() {
        return new Cli(options(), Map.of());
    }

    /** The arguments of {@code run} for an instance keeping its state in {@code stateDir}, with more options after them. */
    public List<String> runArguments(final Path stateDir, final String... more) {
        final List<String> arguments = new ArrayList<>(List.of("run"));
        arguments.addAll(options());
        arguments.add("-p");
        arguments.add(StreamsConfig.STATE_DIR_CONFIG + "=" + stateDir);
        arguments.addAll(List.of(more));
        return arguments;
    }

    /** {@code run} in a process of its own, logging to {@code log}, once it is RUNNING. */
    public RouterProcess startProcess(final Path log, final Path stateDir, final String... more) throws IOException {
        return RouterProcess.start(log, runArguments(stateDir, more)).awaitRunning(Duration.ofSeconds(90));
    }

    /** {@code run} in this JVM, once it is RUNNING. */
    public Cli.Background startInJvm(final Path stateDir, final String... more) {
        final List<String> arguments = new ArrayList<>(List.of("-p", StreamsConfig.STATE_DIR_CONFIG + "=" + stateDir));
        arguments.addAll(List.of(more));
        return cli().start(List.of("run"), arguments.toArray(String[]::new)).awaitOutput("mla-router running", Duration.ofSeconds(90));
    }

    /** How many committed records each key has on the output topics. */
    public Map<String, Integer> committedByKey() {
        return OutputCounts.committedByKey(settings, outputTopics());
    }

    /** How many committed records each output topic has. */
    public Map<String, Integer> committedByTopic() {
        return OutputCounts.committedByTopic(settings, outputTopics());
    }

    /** Records written to the output topics so far, committed or not (end offsets). */
    public long writtenToOutputs() {
        return OutputCounts.endOffsets(settings, outputTopics());
    }
}
