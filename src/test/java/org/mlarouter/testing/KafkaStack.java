package org.mlarouter.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.mlarouter.embedded.EmbeddedKafkaBroker;
import org.mlarouter.net.Ports;
import org.mlarouter.registry.SchemaRegistryServer;
import org.mlarouter.serde.InMemorySchemaRegistry;

/**
 * The integration tests' one fixture: a real Kafka broker (KRaft) and the embedded Schema Registry on loopback, for all
 * the tests of a class ({@code @RegisterExtension static final KafkaStack KAFKA = KafkaStack.plain();}), and for each test
 * a router of its own ({@link #router}): topics named after the test, from the registry of topics, and the settings,
 * command-line options and process arguments that go with them.
 *
 * <p>Ports are chosen once, so the broker and the registry can be stopped and started again on the same address and
 * data ({@link #restartBroker()}, {@link #stopBroker()}, {@link #stopRegistry()}); the registry keeps its schemas across a restart.
 */
public final class KafkaStack implements Brokers, BeforeAllCallback, AfterAllCallback, AutoCloseable {

    private final Function<KafkaStack, Map<String, String>> brokerOverrides;
    private final List<String> scramUsers;
    private final int kafkaPort = Ports.free();
    private final int controllerPort = Ports.free();
    private final int registryPort = Ports.free();
    private final InMemorySchemaRegistry schemas = new InMemorySchemaRegistry("it-registry-" + UUID.randomUUID());
    private Path dataDir;
    private EmbeddedKafkaBroker broker;
    private SchemaRegistryServer registry;

    private KafkaStack(final Function<KafkaStack, Map<String, String>> brokerOverrides, final List<String> scramUsers) {
        this.brokerOverrides = brokerOverrides;
        this.scramUsers = List.copyOf(scramUsers);
    }

    /** A plaintext broker. */
    public static KafkaStack plain() {
        return new KafkaStack(stack -> Map.of(), List.of());
    }

    /**
     * A broker with settings of its own (listeners, security), made from the stack's ports and data directory, and SCRAM
     * users created at format time.
     */
    public static KafkaStack configured(final Function<KafkaStack, Map<String, String>> brokerOverrides, final List<String> scramUsers) {
        return new KafkaStack(brokerOverrides, scramUsers);
    }

    @Override
    public void beforeAll(final ExtensionContext context) throws IOException {
        start();
    }

    @Override
    public void afterAll(final ExtensionContext context) throws IOException {
        close();
    }

    /** Starts the broker and the registry (the extension does this before the class's tests). */
    public KafkaStack start() throws IOException {
        dataDir = Files.createTempDirectory("mla-router-it-kafka");
        broker = startBroker();
        startRegistry();
        return this;
    }

    private EmbeddedKafkaBroker startBroker() throws IOException {
        final Map<String, String> overrides = new java.util.HashMap<>(Map.of("transaction.abort.timed.out.transaction.cleanup.interval.ms", "5000"));
        overrides.putAll(brokerOverrides.apply(this));
        return EmbeddedKafkaBroker.start("127.0.0.1", kafkaPort, controllerPort, dataDir.resolve("kafka"), overrides, scramUsers);
    }

    /** Where the broker keeps its data, and a configured broker its files (key stores). */
    public Path dataDir() {
        return dataDir;
    }

    /** The broker's client listener port and its controller port (for listener settings of {@link #configured} brokers). */
    public int kafkaPort() {
        return kafkaPort;
    }

    public int controllerPort() {
        return controllerPort;
    }

    /** Stops the broker and starts it again on the same ports and data. */
    public void restartBroker() throws IOException {
        stopBroker();
        startStoppedBroker();
    }

    /** Stops the broker; {@link #startStoppedBroker()} brings it back on the same ports and data. */
    public void stopBroker() {
        broker.close();
        broker = null;
    }

    public void startStoppedBroker() throws IOException {
        broker = startBroker();
    }

    /** Stops the Schema Registry; {@link #startRegistry()} brings it back on the same port with the same schemas. */
    public void stopRegistry() {
        registry.close();
    }

    public void startRegistry() throws IOException {
        registry = SchemaRegistryServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), registryPort), schemas);
    }

    @Override
    public String bootstrapServers() {
        return "127.0.0.1:" + kafkaPort;
    }

    @Override
    public short replicationFactor() {
        return 1;
    }

    @Override
    public String registryUrl() {
        return "http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + registryPort;
    }

    /**
     * A router for one test, with topics of its own named after {@code name} and created with {@code partitions}
     * partitions, its Kafka clients configured with {@code clientSettings} (security settings, for instance).
     */
    public RouterUnderTest router(final String name, final int partitions, final Map<String, String> clientSettings) throws InterruptedException {
        return RouterUnderTest.create(this, name + "-" + UUID.randomUUID().toString().substring(0, 8), partitions, clientSettings);
    }

    /** As {@link #router(String, int, Map)}, with plaintext clients. */
    public RouterUnderTest router(final String name, final int partitions) throws InterruptedException {
        return router(name, partitions, Map.of());
    }

    @Override
    public void close() throws IOException {
        if (registry != null) {
            registry.close();
        }
        if (broker != null) {
            broker.close();
        }
        if (dataDir != null) {
            try (Stream<Path> paths = Files.walk(dataDir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }
}
