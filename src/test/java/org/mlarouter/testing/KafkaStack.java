package org.mlarouter.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;

import org.mlarouter.embedded.EmbeddedKafkaBroker;
import org.mlarouter.net.Ports;
import org.mlarouter.registry.SchemaRegistryServer;
import org.mlarouter.serde.InMemorySchemaRegistry;

/** A real Kafka broker (KRaft) and the embedded Schema Registry on loopback, on free ports, for integration tests. */
public final class KafkaStack implements AutoCloseable {

    private final EmbeddedKafkaBroker broker;
    private final SchemaRegistryServer registry;

    private KafkaStack(final EmbeddedKafkaBroker broker, final SchemaRegistryServer registry) {
        this.broker = broker;
        this.registry = registry;
    }

    public static KafkaStack start(final Path dataDir) throws IOException {
        final EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start("127.0.0.1", Ports.free(), Ports.free(), dataDir.resolve("kafka"),
                Map.of("transaction.abort.timed.out.transaction.cleanup.interval.ms", "5000"));
        final SchemaRegistryServer registry = SchemaRegistryServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                new InMemorySchemaRegistry("it-registry"));
        return new KafkaStack(broker, registry);
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    public String registryUrl() {
        return registry.url().toString();
    }

    @Override
    public void close() {
        registry.close();
        broker.close();
    }
}
