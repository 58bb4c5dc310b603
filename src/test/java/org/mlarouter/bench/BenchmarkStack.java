package org.mlarouter.bench;

import org.mlarouter.config.TopicRole;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.mlarouter.avro.AssistanceRequest;
import org.mlarouter.avro.TreatyCoverage;
import org.mlarouter.clients.TopicSetup;
import org.mlarouter.config.RouterSettings;
import org.mlarouter.embedded.EmbeddedKafkaBroker;
import org.mlarouter.testing.SampleRequests;
import org.mlarouter.net.Ports;
import org.mlarouter.registry.SchemaRegistryServer;
import org.mlarouter.runtime.RouterApplication;
import org.mlarouter.serde.InMemorySchemaRegistry;
import org.mlarouter.serde.SpecificAvroSerializer;

/**
 * What the benchmark's phases share: a real broker (KRaft) and the embedded Schema Registry on loopback in this JVM,
 * in a work directory removed at the end; the settings of an application under test; starting the router or the
 * pass-through with a fresh application id; producing the sample requests; and reading topics' end offsets and sizes.
 */
final class BenchmarkStack implements AutoCloseable {

    private final EmbeddedKafkaBroker broker;
    private final SchemaRegistryServer registry;
    private final Path workDir;
    private final Map<String, String> routerOverrides;
    private int applications;

    private BenchmarkStack(final EmbeddedKafkaBroker broker, final SchemaRegistryServer registry, final Path workDir,
                           final Map<String, String> routerOverrides) throws IOException {
        this.broker = broker;
        this.registry = registry;
        this.workDir = workDir;
        this.routerOverrides = Map.copyOf(routerOverrides);
    }

    /** Starts the broker and the registry; {@code routerOverrides} (the command line's {@code --set}) apply to every router. */
    static BenchmarkStack start(final Map<String, String> routerOverrides) throws IOException {
        final Path workDir = Files.createTempDirectory("mla-router-benchmark");
        // Deleted topics leave the disk at once, not after a minute: a full run writes tens of GiB.
        final EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start("127.0.0.1", Ports.free(), Ports.free(), workDir.resolve("kafka"),
                Map.of("log.segment.delete.delay.ms", "1000"));
        final SchemaRegistryServer registry = SchemaRegistryServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                new InMemorySchemaRegistry("benchmark"));
        return new BenchmarkStack(broker, registry, workDir, routerOverrides);
    }

    @Override
    public void close() throws IOException {
        try {
            registry.close();
            broker.close();
        } finally {
            deleteDirectory(workDir);
        }
    }

    String bootstrapServers() {
        return broker.bootstrapServers();
    }

    String registryUrl() {
        return registry.url().toString();
    }

    Path workDir() {
        return workDir;
    }

    RouterSettings settings(final String applicationId, final String guarantee) {
        final Map<String, String> values = new HashMap<>();
        values.put("bootstrap.servers", broker.bootstrapServers());
        values.put("schema.registry.url", registry.url().toString());
        values.put("application.id", applicationId);
        values.put("processing.guarantee", guarantee);
        values.put("state.dir", workDir.resolve("state").toString());
        values.put("mla.http.port", "-1");
        values.putAll(org.mlarouter.testing.SigningKeys.settings());
        values.put("mla.topic.accepted", applicationId + ".accepted");
        values.put("mla.topic.refused", applicationId + ".refused");
        values.put("mla.topic.needs-review", applicationId + ".needs-review");
        values.put("mla.topic.dead-letters", applicationId + ".dlq");
        return RouterSettings.of(values);
    }

    RouterSettings settings(final String applicationId, final Configuration setup, final String inputTopic) {
        final Map<String, String> values = new HashMap<>();
        values.put("mla.topic.requests", inputTopic);
        if (setup.partitions != Configuration.MAIN_PARTITIONS) {
            // The review topic has as many partitions as the request topic, so that an outcome meets its request.
            values.put("mla.topic.reviews", Configuration.reviewsTopic(setup.partitions));
        }
        if (setup.largeTable) {
            values.put("mla.topic.treaties", Configuration.LARGE_TABLE_TOPIC);
        }
        if (setup.router) {
            values.putAll(routerOverrides);
            values.putAll(setup.settings);
        }
        return settings(applicationId, setup.guarantee).with(values);
    }

    static void createTopic(final Admin admin, final String name, final int partitions) throws Exception {
        try {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
        } catch (final ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    void publishTreaties(final String topic, final List<TreatyCoverage> coverages) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()));
             KafkaProducer<String, TreatyCoverage> producer = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers()),
                     new StringSerializer(), serializer())) {
            createTopic(admin, topic, 1);
            for (final TreatyCoverage coverage : coverages) {
                producer.send(new ProducerRecord<>(topic, coverage.getCounterpartState(), coverage)).get();
            }
        }
    }

    <T extends org.apache.avro.specific.SpecificRecord> SpecificAvroSerializer<T> serializer() {
        final SpecificAvroSerializer<T> serializer = new SpecificAvroSerializer<>();
        serializer.configure(Map.of("schema.registry.url", registry.url().toString()), false);
        return serializer;
    }

    /** The sample requests, parsed afresh (callers change their ids). */
    List<AssistanceRequest> sampleRequests() {
        try {
            return SampleRequests.parsed();
        } catch (final IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Creates {@code topic} with the main input's partitions and fills it with {@code count} requests. */
    void createAndProduce(final String topic, final int count) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            createTopic(admin, topic, Configuration.MAIN_PARTITIONS);
        }
        produceRequests(topic, count);
    }

    /**
     * One new request for each partition of the main input's size on {@code topic}, ids starting with {@code prefix}, so
     * that every task must have restored its stores and caught up to decide them all; returns their ids.
     */
    List<String> sendProbes(final String topic, final String prefix) throws Exception {
        final List<String> probes = new java.util.ArrayList<>();
        try (KafkaProducer<String, AssistanceRequest> producer = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers()),
                new StringSerializer(), serializer())) {
            final AssistanceRequest probe = sampleRequests().get(0);
            final java.util.Set<Integer> covered = new java.util.HashSet<>();
            for (int n = 0; covered.size() < Configuration.MAIN_PARTITIONS; n++) {
                final String id = prefix + "-probe-" + n;
                if (covered.add(org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(
                        id.getBytes(java.nio.charset.StandardCharsets.UTF_8))) % Configuration.MAIN_PARTITIONS)) {
                    probe.setRequestId(id);
                    producer.send(new ProducerRecord<>(topic, id, probe)).get();
                    probes.add(id);
                }
            }
        }
        return probes;
    }

    void produceRequests(final String topic, final int count) {
        final List<AssistanceRequest> requests = sampleRequests();
        try (KafkaProducer<String, AssistanceRequest> producer = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers(),
                "acks", "all", "linger.ms", 20, "batch.size", 262_144), new StringSerializer(), serializer())) {
            for (int i = 0; i < count; i++) {
                final AssistanceRequest request = requests.get(i % requests.size());
                request.setRequestId("bench-" + i);
                producer.send(new ProducerRecord<>(topic, request.getRequestId(), request));
            }
            producer.flush();
        }
    }

    /** A started application and how to stop it. */
    static final class Started implements AutoCloseable {
        final String applicationId;
        final RouterSettings settings;
        final List<String> outputs;
        final AutoCloseable closer;

        Started(final String applicationId, final RouterSettings settings, final List<String> outputs, final AutoCloseable closer) {
            this.applicationId = applicationId;
            this.settings = settings;
            this.outputs = outputs;
            this.closer = closer;
        }

        @Override
        public void close() throws Exception {
            closer.close();
        }
    }

    Started start(final Configuration setup, final String inputTopic) throws Exception {
        return start(setup, inputTopic, "bench-" + ++applications + "-" + (setup.router ? "router" : "pass") + "-" + setup.guarantee.replace('_', '-'));
    }

    Started start(final Configuration setup, final String inputTopic, final String applicationId) throws Exception {
        final RouterSettings settings = settings(applicationId, setup, inputTopic);
        final String passThroughOutput = applicationId + ".out";
        try (Admin admin = Admin.create(settings.adminProperties())) {
            new TopicSetup(admin, settings.router()).createMissing(setup.partitions, (short) 1);
            if (!setup.router) {
                createTopic(admin, passThroughOutput, setup.partitions);
            }
        }
        if (setup.router) {
            final RouterApplication router = RouterApplication.start(settings, Clock.systemUTC());
            if (!router.awaitRunning(Duration.ofSeconds(120))) {
                router.close();
                throw new IllegalStateException(setup.label() + " did not reach RUNNING");
            }
            return new Started(applicationId, settings, List.of(settings.router().topic(TopicRole.ACCEPTED), settings.router().topic(TopicRole.REFUSED),
                    settings.router().topic(TopicRole.NEEDS_REVIEW), settings.router().topic(TopicRole.DEAD_LETTERS)), router);
        }
        final StreamsBuilder builder = new StreamsBuilder();
        builder.stream(inputTopic, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .to(passThroughOutput, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
        final Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, setup.guarantee);
        properties.put(StreamsConfig.STATE_DIR_CONFIG, workDir.resolve("state").toString());
        final KafkaStreams streams = new KafkaStreams(builder.build(), properties);
        final CountDownLatch running = new CountDownLatch(1);
        streams.setStateListener((newState, oldState) -> {
            if (newState == KafkaStreams.State.RUNNING) {
                running.countDown();
            }
        });
        streams.start();
        final Started started = new Started(applicationId, settings, List.of(passThroughOutput), () -> streams.close(Duration.ofSeconds(60)));
        if (!running.await(120, TimeUnit.SECONDS)) {
            started.close();
            throw new IllegalStateException(setup.label() + " did not reach RUNNING");
        }
        return started;
    }

    /** The size on the broker's disk of every partition of these topics. */
    static long bytesOnDisk(final Admin admin, final List<String> topics) throws ExecutionException, InterruptedException {
        final List<Integer> nodes = admin.describeCluster().nodes().get().stream().map(node -> node.id()).collect(Collectors.toList());
        long bytes = 0;
        for (final var logDirs : admin.describeLogDirs(nodes).allDescriptions().get().values()) {
            for (final var logDir : logDirs.values()) {
                for (final var replica : logDir.replicaInfos().entrySet()) {
                    if (topics.contains(replica.getKey().topic())) {
                        bytes += replica.getValue().size();
                    }
                }
            }
        }
        return bytes;
    }

    /** Deletes the topics of the benchmark's applications (each starts with the application id), so runs do not fill the disk. */
    static void deleteApplicationTopics(final Admin admin) throws ExecutionException, InterruptedException {
        final List<String> names = admin.listTopics().names().get().stream().filter(name -> name.startsWith("bench-"))
                .collect(Collectors.toList());
        admin.deleteTopics(names).all().get();
    }

    /** Records written to these topics (their end offsets). */
    static long endOffsets(final Admin admin, final List<String> topics) throws ExecutionException, InterruptedException {
        final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(topics).allTopicNames().get().forEach((topic, description) -> description.partitions()
                .forEach(partition -> latest.put(new TopicPartition(topic, partition.partition()), OffsetSpec.latest())));
        return admin.listOffsets(latest).all().get().values().stream().mapToLong(info -> info.offset()).sum();
    }

    /** Whether these topics hold this many records; false while they are not yet known everywhere. */
    static boolean outputsAtLeast(final Admin admin, final List<String> topics, final long records) {
        try {
            return endOffsets(admin, topics) >= records;
        } catch (final ExecutionException e) {
            return false;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void deleteDirectory(final Path directory) throws IOException {
        if (Files.exists(directory)) {
            try (var paths = Files.walk(directory)) {
                for (final Path path : paths.sorted(java.util.Comparator.reverseOrder()).collect(Collectors.toList())) {
                    Files.delete(path);
                }
            }
        }
    }
}
