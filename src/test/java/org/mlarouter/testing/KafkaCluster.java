package org.mlarouter.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.mlarouter.net.Ports;
import org.mlarouter.registry.SchemaRegistryServer;
import org.mlarouter.serde.InMemorySchemaRegistry;

/**
 * A real three-node Kafka cluster (KRaft; each node controller and broker, each in a JVM of its own, so that it can be
 * stopped, restarted or SIGKILLed) and the embedded Schema Registry, on loopback. Topics are replicated three times with
 * {@code min.insync.replicas=2}, the internal ones ({@code __consumer_offsets}, {@code __transaction_state}, and those
 * Kafka Streams creates) too.
 */
public final class KafkaCluster implements Brokers, BeforeAllCallback, AfterAllCallback, AutoCloseable {

    public static final int NODES = 3;
    private static final Duration NODE_START = Duration.ofSeconds(120);

    private final Map<String, String> brokerOverrides;
    private final int[] ports = IntStream.range(0, NODES).map(i -> Ports.free()).toArray();
    private final int[] controllerPorts = IntStream.range(0, NODES).map(i -> Ports.free()).toArray();
    private final int registryPort = Ports.free();
    private final String clusterId = Uuid.randomUuid().toString();
    private final InMemorySchemaRegistry schemas = new InMemorySchemaRegistry("cluster-registry-" + UUID.randomUUID());
    private final Process[] nodes = new Process[NODES];
    private Path dataDir;
    private SchemaRegistryServer registry;

    private KafkaCluster(final Map<String, String> brokerOverrides) {
        this.brokerOverrides = Map.copyOf(brokerOverrides);
    }

    /** Three nodes with the given broker properties beside the cluster's own. */
    public static KafkaCluster of(final Map<String, String> brokerOverrides) {
        return new KafkaCluster(brokerOverrides);
    }

    @Override
    public void beforeAll(final ExtensionContext context) throws IOException {
        start();
    }

    @Override
    public void afterAll(final ExtensionContext context) throws IOException {
        close();
    }

    public KafkaCluster start() throws IOException {
        dataDir = Files.createTempDirectory("mla-router-cluster");
        for (int node = 1; node <= NODES; node++) {
            launch(node);
        }
        for (int node = 1; node <= NODES; node++) {
            awaitStarted(node, 0);
        }
        awaitBrokers(NODES);
        registry = SchemaRegistryServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), registryPort), schemas);
        return this;
    }

    private void launch(final int node) throws IOException {
        final String voters = IntStream.rangeClosed(1, NODES).mapToObj(n -> n + "@127.0.0.1:" + controllerPorts[n - 1]).collect(Collectors.joining(","));
        final Map<String, String> settings = new HashMap<>();
        settings.put("controller.quorum.voters", voters);
        settings.put("default.replication.factor", "3");
        settings.put("min.insync.replicas", "2");
        settings.put("offsets.topic.replication.factor", "3");
        settings.put("transaction.state.log.replication.factor", "3");
        settings.put("transaction.state.log.min.isr", "2");
        settings.put("share.coordinator.state.topic.replication.factor", "3");
        settings.put("share.coordinator.state.topic.min.isr", "2");
        settings.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "5000");
        // A stopped node's replicas leave the ISR after this, rather than the 30 s default.
        settings.put("replica.lag.time.max.ms", "10000");
        settings.putAll(brokerOverrides);
        final List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx384m", "-cp",
                "target/mla-router.jar" + File.pathSeparator + "target/test-classes", ClusterNode.class.getName(), String.valueOf(node),
                String.valueOf(ports[node - 1]), String.valueOf(controllerPorts[node - 1]), dataDir.resolve("node-" + node).toString(), clusterId));
        settings.forEach((key, value) -> command.add(key + "=" + value));
        nodes[node - 1] = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log(node).toFile())).start();
    }

    private Path log(final int node) {
        return dataDir.resolve("node-" + node + ".log");
    }

    /** Everything node {@code node} has logged, across its restarts. */
    public String nodeLog(final int node) {
        try {
            return Files.exists(log(node)) ? Files.readString(log(node), StandardCharsets.UTF_8) : "";
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private long startedCount(final int node) {
        return nodeLog(node).lines().filter(line -> line.equals("cluster node " + node + " started")).count();
    }

    /** Waits until node {@code node} has said it started more often than {@code before} times. */
    private void awaitStarted(final int node, final long before) {
        Await.until("cluster node " + node + " to start (log " + log(node) + ")", NODE_START,
                () -> !nodes[node - 1].isAlive() || startedCount(node) > before);
        assertTrue(nodes[node - 1].isAlive(), "cluster node " + node + " ended:\n" + nodeLog(node));
    }

    /** SIGTERM: the node leaves cleanly (controlled shutdown), its partitions' leadership moves first. */
    public void stop(final int node) throws InterruptedException {
        final Process process = nodes[node - 1];
        process.destroy();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    /** SIGKILL: no controlled shutdown, no flush. */
    public void kill(final int node) throws InterruptedException {
        final Process process = nodes[node - 1];
        process.destroyForcibly();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "cluster node " + node + " did not end on SIGKILL");
    }

    /** Starts a stopped or killed node again on its ports and data, and waits until it serves. */
    public void restart(final int node) throws IOException {
        final long before = startedCount(node);
        launch(node);
        awaitStarted(node, before);
    }

    /** Waits until every partition of every topic has all its replicas in sync again. */
    public void awaitFullyReplicated(final Duration timeout) {
        Await.until("every partition's replicas to be in sync", timeout, () -> underReplicated().isEmpty());
    }

    /** The partitions ({@code topic-partition}) whose in-sync replicas are fewer than their replicas. */
    public List<String> underReplicated() {
        return partitions().entrySet().stream()
                .flatMap(topic -> topic.getValue().stream().filter(p -> p.isr().size() < p.replicas().size()).map(p -> topic.getKey() + "-" + p.partition()))
                .toList();
    }

    /** The topics, internal ones included, with a partition of fewer than {@code replicas} replicas. */
    public List<String> replicatedFewerTimesThan(final int replicas) {
        return partitions().entrySet().stream().filter(topic -> topic.getValue().stream().anyMatch(p -> p.replicas().size() < replicas))
                .map(Map.Entry::getKey).sorted().toList();
    }

    /** How many partitions each node leads, over all topics (the internal ones too). */
    public Map<Integer, Long> leadership() {
        return partitions().values().stream().flatMap(List::stream).filter(p -> p.leader() != null)
                .collect(Collectors.groupingBy(p -> p.leader().id(), Collectors.counting()));
    }

    private Map<String, List<TopicPartitionInfo>> partitions() {
        try (Admin admin = admin()) {
            final List<String> names = new ArrayList<>(admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get());
            final Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames().get();
            return described.values().stream().collect(Collectors.toMap(TopicDescription::name, TopicDescription::partitions));
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (final ExecutionException e) {
            throw new IllegalStateException("cannot describe the cluster's topics: " + e.getCause(), e);
        }
    }

    private void awaitBrokers(final int count) {
        Await.until(count + " brokers in the cluster", NODE_START, () -> {
            try (Admin admin = admin()) {
                return admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size() == count;
            } catch (final Exception e) {
                return false;
            }
        });
    }

    private Admin admin() {
        final Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        return Admin.create(properties);
    }

    /** The process id of node {@code node} (1 to 3), for tools that inspect the process (/proc). */
    public long pid(final int node) {
        return nodes[node - 1].pid();
    }

    @Override
    public String bootstrapServers() {
        return IntStream.of(ports).mapToObj(port -> "127.0.0.1:" + port).collect(Collectors.joining(","));
    }

    @Override
    public String registryUrl() {
        return "http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + registryPort;
    }

    @Override
    public short replicationFactor() {
        return NODES;
    }

    /** A router for one test, with topics of its own (replicated three times), named after {@code name}. */
    public RouterUnderTest router(final String name, final int partitions) throws InterruptedException {
        return RouterUnderTest.create(this, name + "-" + UUID.randomUUID().toString().substring(0, 8), partitions, Map.of());
    }

    @Override
    public void close() throws IOException {
        if (registry != null) {
            registry.close();
        }
        for (final Process node : nodes) {
            if (node != null) {
                node.destroyForcibly();
            }
        }
        for (final Process node : nodes) {
            if (node != null) {
                try {
                    node.waitFor(30, TimeUnit.SECONDS);
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        if (dataDir != null && !Boolean.getBoolean("mla.cluster.keep")) {
            try (Stream<Path> paths = Files.walk(dataDir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }
}
