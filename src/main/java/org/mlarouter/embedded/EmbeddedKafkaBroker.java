package org.mlarouter.embedded;

import org.mlarouter.net.Ports;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Kafka broker in this JVM: one KRaft node that is both controller and broker, listening on loopback.
 * Its data directory is formatted on first start and reused after, so topics and records survive a restart.
 *
 * <p>Settings are those of a single-node cluster (replication factor 1 for the internal topics); any broker property
 * can be added or overridden.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final String CONTROLLER_LISTENER = "CONTROLLER";

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Path dataDir;

    private EmbeddedKafkaBroker(final KafkaRaftServer server, final String bootstrapServers, final Path dataDir) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.dataDir = dataDir;
    }

    /**
     * Starts a broker.
     *
     * @param host           the address to listen on, normally 127.0.0.1
     * @param port           the client port (9092 by default in the embedded stack)
     * @param controllerPort the KRaft controller port
     * @param dataDir        where the log and metadata live; created and formatted if new
     * @param overrides      further broker properties, or overrides of the defaults
     */
    public static EmbeddedKafkaBroker start(final String host, final int port, final int controllerPort, final Path dataDir,
                                            final Map<String, String> overrides) throws IOException {
        return start(host, port, controllerPort, dataDir, overrides, List.of());
    }

    /**
     * Starts a broker whose metadata, when first formatted, holds SCRAM credentials: entries such as
     * {@code SCRAM-SHA-256=[name=admin,password=admin-secret]}, as {@code kafka-storage format --add-scram} takes them.
     * With them, listeners and authorizer set in {@code overrides} give an authenticated, authorizing broker.
     */
    public static EmbeddedKafkaBroker start(final String host, final int port, final int controllerPort, final Path dataDir,
                                            final Map<String, String> overrides, final List<String> scramCredentials) throws IOException {
        return start(host, port, controllerPort, dataDir, overrides, scramCredentials, Uuid.randomUuid().toString());
    }

    /**
     * Starts one node of a cluster: {@code overrides} name its {@code node.id} and the {@code controller.quorum.voters} of
     * all nodes, and every node's data directory is formatted with the same {@code clusterId}.
     */
    public static EmbeddedKafkaBroker start(final String host, final int port, final int controllerPort, final Path dataDir,
                                            final Map<String, String> overrides, final List<String> scramCredentials,
                                            final String clusterId) throws IOException {
        Ports.requireFree(host, port, "Kafka broker");
        Ports.requireFree(host, controllerPort, "Kafka controller");
        final Path logDir = dataDir.toAbsolutePath();
        Files.createDirectories(logDir);
        final Map<String, String> props = new HashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@" + host + ":" + controllerPort);
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("listeners", "PLAINTEXT://" + host + ":" + port + "," + CONTROLLER_LISTENER + "://" + host + ":" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", logDir.toString());
        props.put("num.partitions", "1");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "5");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "5");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("auto.create.topics.enable", "false");
        props.put("log.flush.interval.messages", String.valueOf(Long.MAX_VALUE));
        props.putAll(overrides);
        final KafkaConfig config = new KafkaConfig(props, false);

        if (!Files.exists(logDir.resolve("meta.properties"))) {
            final Formatter formatter = new Formatter()
                    .setClusterId(clusterId)
                    .setNodeId(config.nodeId())
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setMetadataLogDirectory(config.metadataLogDir())
                    .setDirectories(List.of(logDir.toString()))
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setIgnoreFormatted(true)
                    .setScramArguments(scramCredentials)
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()));
            try {
                formatter.run();
            } catch (final Exception e) {
                throw new IOException("Cannot format the Kafka data directory " + logDir + ": " + e.getMessage(), e);
            }
            LOG.info("Formatted a new Kafka data directory at {}", logDir);
        }
        final KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        return new EmbeddedKafkaBroker(server, host + ":" + port, logDir);
    }

    /** The {@code bootstrap.servers} clients use. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
