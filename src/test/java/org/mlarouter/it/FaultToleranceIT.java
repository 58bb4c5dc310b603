package org.mlarouter.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlarouter.clients.Clients;
import org.mlarouter.config.RouterSettings;
import org.mlarouter.clients.TopicSetup;
import org.mlarouter.avro.AssistanceRequest;
import org.mlarouter.avro.TreatyCoverage;
import org.mlarouter.embedded.EmbeddedKafkaBroker;
import org.mlarouter.net.Ports;
import org.mlarouter.json.AvroJson;
import org.mlarouter.registry.SchemaRegistryServer;
import org.mlarouter.serde.InMemorySchemaRegistry;
import org.mlarouter.serde.SpecificAvroSerializer;
import org.mlarouter.testing.Await;
import org.mlarouter.testing.OutputCounts;
import org.mlarouter.testing.RouterProcess;
import org.mlarouter.clients.TreatyPublisher;
import org.mlarouter.treaty.TreatyTable;

/**
 * Faults while requests flow, the router running as a separate process: killed with SIGKILL, one of two instances
 * killed, the broker stopped and restarted, the Schema Registry unreachable. After each, every request has exactly
 * one decision or one dead letter (read_committed, every output topic and the dead-letter topic).
 */
class FaultToleranceIT {

    private static final int PARTITIONS = 6;

    @TempDir
    static Path kafkaDir;
    private static final int KAFKA_PORT = Ports.free();
    private static final int CONTROLLER_PORT = Ports.free();
    private static final int REGISTRY_PORT = Ports.free();
    private static final InMemorySchemaRegistry SCHEMAS = new InMemorySchemaRegistry("fault-registry");
    private static EmbeddedKafkaBroker broker;
    private static SchemaRegistryServer registry;

    @TempDir
    Path workDir;
    private String prefix;
    private RouterSettings settings;
    private final List<RouterProcess> routers = new ArrayList<>();
    private String scenario = "";

    @BeforeAll
    static void startKafka() throws IOException {
        broker = startBroker();
        registry = startRegistry();
    }

    @AfterAll
    static void stopKafka() {
        registry.close();
        broker.close();
    }

    private static EmbeddedKafkaBroker startBroker() throws IOException {
        return EmbeddedKafkaBroker.start("127.0.0.1", KAFKA_PORT, CONTROLLER_PORT, kafkaDir.resolve("kafka"), Map.of());
    }

    private static SchemaRegistryServer startRegistry() throws IOException {
        return SchemaRegistryServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), REGISTRY_PORT), SCHEMAS);
    }

    @BeforeEach
    void createTopicsAndTreaties(final org.junit.jupiter.api.TestInfo test) throws Exception {
        scenario = test.getTestMethod().map(java.lang.reflect.Method::getName).orElse("?");
        prefix = "fault-" + UUID.randomUUID().toString().substring(0, 8);
        settings = RouterSettings.of(Map.of("bootstrap.servers", broker.bootstrapServers(),
                "schema.registry.url", registry.url().toString(), "application.id", prefix + "-router",
                "mla.topic.requests", prefix + ".requests", "mla.topic.treaties", prefix + ".treaties",
                "mla.topic.accepted", prefix + ".accepted", "mla.topic.refused", prefix + ".refused",
                "mla.topic.needs-review", prefix + ".needs-review", "mla.topic.dead-letters", prefix + ".dlq"));
        try (Admin admin = Admin.create(settings.adminProperties())) {
            new TopicSetup(admin, settings.router()).createMissing(PARTITIONS, (short) 1);
        }
        try (KafkaProducer<String, TreatyCoverage> producer = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers()),
                new StringSerializer(), serializer())) {
            new TreatyPublisher(settings.router().treatiesTopic(), Clock.systemUTC()).publish(producer, TreatyTable.shipped("KZ"), Map.of());
        }
    }

    @AfterEach
    void stopRouters() throws InterruptedException {
        for (final RouterProcess router : routers) {
            router.close();
        }
    }

    private <T extends org.apache.avro.specific.SpecificRecord> SpecificAvroSerializer<T> serializer() {
        final SpecificAvroSerializer<T> serializer = new SpecificAvroSerializer<>();
        serializer.configure(Map.of("schema.registry.url", registry.url().toString()), false);
        return serializer;
    }

    private RouterProcess startRouter(final String instance) throws IOException {
        final RouterProcess router = RouterProcess.start(workDir.resolve("router-" + instance + ".log"), routerArguments(instance));
        routers.add(router);
        return router.awaitRunning(Duration.ofSeconds(90));
    }

    /** Produces requests {@code from} to {@code to - 1}, cycling through the sample requests; returns their ids. */
    private List<String> produce(final int from, final int to) throws IOException {
        final List<String> samples = Files.readAllLines(Path.of("examples/requests.jsonl"));
        final List<String> ids = new ArrayList<>();
        // The router's own client settings (Clients): idempotent, and one request in flight, which a broker restart
        // mid-stream needs (docs/reliability.md).
        try (KafkaProducer<String, AssistanceRequest> producer = new Clients(settings).producer(AssistanceRequest.class)) {
            for (int i = from; i < to; i++) {
                final AssistanceRequest request = AvroJson.parse(samples.get(i % samples.size()), AssistanceRequest.class);
                request.setRequestId(prefix + "-" + i);
                producer.send(new ProducerRecord<>(settings.router().requestsTopic(), request.getRequestId(), request));
                ids.add(request.getRequestId());
            }
            producer.flush();
        }
        return ids;
    }

    private List<String> outputTopics() {
        return List.of(settings.router().acceptedTopic(), settings.router().refusedTopic(), settings.router().needsReviewTopic(),
                settings.router().deadLetterTopic());
    }

    private void awaitWritten(final long records) {
        Await.until(records + " records written to the output topics", Duration.ofSeconds(120),
                () -> OutputCounts.endOffsets(broker.bootstrapServers(), outputTopics()) >= records);
    }

    /** Every request exactly once across the decision topics and the dead-letter topic, and nothing else. */
    private void assertExactlyOnce(final List<String> ids) {
        try {
            assertExactlyOnceQuietly(ids);
        } catch (final AssertionError e) {
            final String log = routers.isEmpty() ? "" : routers.get(routers.size() - 1).log();
            throw new AssertionError(e.getMessage() + "\nlast router's log (end):\n" + log.substring(Math.max(0, log.length() - 8000)), e);
        }
    }

    private void assertExactlyOnceQuietly(final List<String> ids) {
        Await.until("a committed decision or dead letter for each of " + ids.size() + " requests", Duration.ofSeconds(180),
                () -> OutputCounts.committedByKey(broker.bootstrapServers(), outputTopics()).size() >= ids.size());
        final Map<String, Integer> counts = OutputCounts.committedByKey(broker.bootstrapServers(), outputTopics());
        final List<String> missing = ids.stream().filter(id -> !counts.containsKey(id)).collect(Collectors.toList());
        final List<String> duplicated = counts.entrySet().stream().filter(entry -> entry.getValue() > 1).map(Map.Entry::getKey).collect(Collectors.toList());
        final Map<String, Integer> byTopic = OutputCounts.committedByTopic(broker.bootstrapServers(), outputTopics());
        final String figures = String.format("| %s | %d | %d | %d | %d | %d | %d | %d |%n", scenario, ids.size(),
                byTopic.get(settings.router().acceptedTopic()), byTopic.get(settings.router().refusedTopic()),
                byTopic.get(settings.router().needsReviewTopic()), byTopic.get(settings.router().deadLetterTopic()), missing.size(), duplicated.size());
        try {
            Files.writeString(Path.of("target/reliability-figures.md"), figures, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (final IOException e) {
            throw new IllegalStateException(e);
        }
        System.out.print("FIGURES " + figures);
        assertEquals(List.of(), missing, "lost");
        assertEquals(List.of(), duplicated, "duplicated");
        assertEquals(ids.size(), counts.size(), "nothing but these requests");
    }

    @Test
    void shouldDecideEachRequestExactlyOnceWhenTheRouterIsKilledThreeTimes() throws Exception {
        final int count = 20_000;
        startRouter("a");
        final List<String> ids = produce(0, count);
        for (int kill = 1; kill <= 3; kill++) {
            awaitWritten((long) count * kill / 5);
            routers.get(routers.size() - 1).kill();
            startRouter("a");
        }
        assertExactlyOnce(ids);
    }

    @Test
    void shouldLetASecondInstanceTakeOverWhenTheFirstIsKilled() throws Exception {
        final int count = 20_000;
        final RouterProcess first = startRouter("a");
        startRouter("b");
        final List<String> ids = produce(0, count);
        awaitWritten(count / 4);
        first.kill();
        assertExactlyOnce(ids);
    }

    @Test
    void shouldRideOutABrokerRestart() throws Exception {
        final int count = 10_000;
        startRouter("a");
        final List<String> ids = new ArrayList<>(produce(0, count / 2));
        awaitWritten(count / 8);
        broker.close();
        broker = startBroker();
        ids.addAll(produce(count / 2, count));
        // Play the supervisor (as docker-compose's restart policy does): a router that gave up during the outage
        // exits 1, and is started again.
        Await.until("the output after the broker restart", Duration.ofSeconds(120), () -> {
            if (!routers.get(routers.size() - 1).isAlive()) {
                try {
                    startRouter("a");
                } catch (final IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            return OutputCounts.endOffsets(broker.bootstrapServers(), outputTopics()) >= count;
        });
        assertExactlyOnce(ids);
    }

    @Test
    void shouldWaitOutASchemaRegistryOutageWithoutDeadLettering() throws Exception {
        final List<String> ids = new ArrayList<>(produce(0, 100));
        registry.close();
        // The router starts with empty schema caches: it needs the registry for the first record it reads or writes.
        final RouterProcess router = RouterProcess.start(workDir.resolve("router-outage.log"), routerArguments("outage"));
        routers.add(router);
        try {
            Await.until("the router to notice the outage", Duration.ofSeconds(90),
                    () -> router.log().contains("Waiting for the Schema Registry") || router.log().contains("Schema Registry unavailable"));
            assertEquals(0L, OutputCounts.committedByKey(broker.bootstrapServers(), List.of(settings.router().deadLetterTopic())).values()
                    .stream().mapToLong(Integer::longValue).sum(), "no request is dead-lettered for the registry's absence");
        } finally {
            registry = startRegistry();
        }
        assertExactlyOnce(ids);
    }

    private List<String> routerArguments(final String instance) {
        final List<String> arguments = new ArrayList<>(List.of("run", "--http-port", "-1", "-p", "state.dir=" + workDir.resolve("state-" + instance),
                // A killed instance's partitions move on after this, not after the 45 s default.
                "-p", "session.timeout.ms=6000", "-p", "heartbeat.interval.ms=1500", "-p", "schema.registry.request.timeout.ms=2000"));
        settings.describe().forEach((key, value) -> {
            arguments.add("-p");
            arguments.add(key + "=" + value);
        });
        return arguments;
    }
}
