package org.mlarouter.embedded;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.streams.StreamsConfig;
import org.mlarouter.avro.TreatyCoverage;
import org.mlarouter.clients.Clients;
import org.mlarouter.clients.TopicSetup;
import org.mlarouter.clients.TreatyPublisher;
import org.mlarouter.config.ReviewKeys;
import org.mlarouter.config.PersonalDataKeys;
import org.mlarouter.config.RouterConfig;
import org.mlarouter.config.RouterSettings;
import org.mlarouter.privacy.OutcomeSignature;
import org.mlarouter.config.TopicRole;
import org.mlarouter.net.Ports;
import org.mlarouter.registry.SchemaJournal;
import org.mlarouter.registry.SchemaRegistryServer;
import org.mlarouter.runtime.RouterApplication;
import org.mlarouter.treaty.TreatyTable;
import org.slf4j.LoggerFactory;

/**
 * The whole stack in one process, for a first run with nothing installed: a real Kafka broker (KRaft) and the embedded
 * Schema Registry put in front of the router, then the router's topics, the shipped treaty table on the treaty topic (on
 * first start only, so coverage changed since is kept), and the router itself, started as {@code run} starts it
 * ({@link RouterApplication#start}). The broker's data and the registry's schemas live in the data directory and survive
 * restarts. {@link #close()} stops everything in reverse order.
 */
public final class EmbeddedStack implements AutoCloseable {

    /** Where and how the stack runs. */
    public static final class Options {
        public String host = "127.0.0.1";
        public int kafkaPort = 9092;
        public int controllerPort = 9093;
        public int registryPort = 8081;
        public Path dataDir = Path.of("data");
        public int partitions = 6;
        /** Further settings of the router and its clients (the same keys as {@code run --property}). */
        public Map<String, String> settings = new HashMap<>();
    }

    private final List<AutoCloseable> started = new ArrayList<>();
    private final RouterSettings settings;
    private final EmbeddedKafkaBroker broker;
    private final SchemaRegistryServer registry;
    private final RouterApplication router;
    private final String treatyNote;
    private final Optional<FirstSupervisor> firstSupervisor;

    private EmbeddedStack(final Options options) throws Exception {
        try {
            Ports.requireFree(options.host, options.registryPort, "Schema Registry");
            broker = EmbeddedKafkaBroker.start(options.host, options.kafkaPort, options.controllerPort,
                    options.dataDir.resolve("kafka"), Map.of());
            started.add(broker);
            registry = SchemaRegistryServer.start(new InetSocketAddress(InetAddress.getByName(options.host), options.registryPort),
                    SchemaJournal.open(options.dataDir.resolve("schema-registry").resolve("schemas.jsonl"), "embedded Schema Registry"));
            started.add(registry);

            final Map<String, String> given = new HashMap<>(options.settings);
            given.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            given.put(RouterConfig.SCHEMA_REGISTRY_URL_CONFIG, registry.url().toString());
            given.putIfAbsent(StreamsConfig.STATE_DIR_CONFIG, options.dataDir.resolve("streams").toAbsolutePath().toString());
            if (!given.containsKey(ReviewKeys.REVIEW_SIGNING_KEY_FILE_CONFIG)) {
                // The router's own key for the outcomes it writes, made once and kept with the data.
                final Path key = options.dataDir.resolve("review-signing.key").toAbsolutePath();
                OutcomeSignature.createKeyFile(key);
                given.put(ReviewKeys.REVIEW_SIGNING_KEY_FILE_CONFIG, key.toString());
            }
            if (!given.containsKey(PersonalDataKeys.PERSONAL_DATA_KEK_FILE_CONFIG)) {
                // The key-encryption keys of the personal data, made once and kept with the data (owner only).
                final Path kek = options.dataDir.resolve("personal-data.kek").toAbsolutePath();
                org.mlarouter.privacy.KeyEncryptionKeys.createIfMissing(kek, Clock.systemUTC());
                given.put(PersonalDataKeys.PERSONAL_DATA_KEK_FILE_CONFIG, kek.toString());
            }
            firstSupervisor = FirstSupervisor.ensure(options.dataDir, given);
            settings = RouterSettings.of(given);

            final Clients clients = new Clients(settings);
            try (Admin admin = clients.admin()) {
                new TopicSetup(admin, settings.router()).createMissing(options.partitions, (short) 1);
            }
            treatyNote = publishShippedTreatiesOnFirstStart(clients);
            router = RouterApplication.start(settings, Clock.systemUTC());
            started.add(router);
        } catch (final Exception | Error e) {
            close();
            throw e;
        }
    }

    /**
     * Starts the stack; on failure, stops what had started.
     *
     * @throws Ports.PortInUseException if a port is taken
     */
    public static EmbeddedStack start(final Options options) throws Exception {
        return new EmbeddedStack(options);
    }

    private String publishShippedTreatiesOnFirstStart(final Clients clients) {
        final TreatyPublisher publisher = new TreatyPublisher(settings.router().topic(TopicRole.TREATIES), Clock.systemUTC());
        final Map<String, TreatyCoverage> current;
        try (KafkaConsumer<String, TreatyCoverage> consumer = clients.consumer(TreatyCoverage.class)) {
            current = publisher.current(consumer);
        }
        if (!current.isEmpty()) {
            return current.size() + " counterparts on " + settings.router().topic(TopicRole.TREATIES) + " (kept from the last run)";
        }
        final TreatyTable table = TreatyTable.shipped(settings.router().homeState());
        final TreatyPublisher.Summary shipped = publisher.changes(table, current, "mla-router embedded", "The shipped treaty table, on first start");
        try (KafkaProducer<String, TreatyCoverage> producer = clients.producer(TreatyCoverage.class)) {
            publisher.publish(producer, shipped);
        }
        // Recorded as any change is: who and why, on the treaty-changes topic (treaties history CC).
        try (KafkaProducer<byte[], byte[]> producer = clients.rawProducer("treaty-changes", Map.of())) {
            new org.mlarouter.clients.CoverageChangeLog(settings.router().topic(TopicRole.TREATY_CHANGES)).write(producer,
                    org.mlarouter.clients.CoverageChangeLog.applied(shipped.coverages, current));
        }
        return table.all().size() + " counterparts on " + settings.router().topic(TopicRole.TREATIES) + " (published the shipped table)";
    }

    public RouterSettings settings() {
        return settings;
    }

    /** {@code admin:PASSWORD} of the first supervisor while its password file is there, for the demo. */
    public Optional<String> firstSupervisorCredentials() {
        return firstSupervisor.flatMap(FirstSupervisor::credentials);
    }

    public RouterApplication router() {
        return router;
    }

    public SchemaRegistryServer registry() {
        return registry;
    }

    public EmbeddedKafkaBroker broker() {
        return broker;
    }

    /** Where everything listens and how to use it. */
    public void printBanner(final PrintStream out) {
        final RouterConfig config = settings.router();
        out.println("mla-router is running (embedded stack)");
        out.println("  Kafka broker      " + broker.bootstrapServers() + "   data: " + broker.dataDir());
        out.println("  Schema Registry   " + registry.url());
        out.println("  Router            application.id " + settings.applicationId() + ", "
                + router.processingGuarantee() + ", home state " + config.homeState());
        out.println("  Topics            " + config.topic(TopicRole.REQUESTS) + " -> " + TopicRole.decisions().stream().map(config::topic)
                .collect(Collectors.joining(" | ")) + "; dead letters " + config.topic(TopicRole.DEAD_LETTERS));
        out.println("  Treaties          " + treatyNote);
        firstSupervisor.ifPresent(first -> out.println("  Sign in           " + first.note()));
        router.operatorUrl().ifPresent(url -> {
            out.println("  Console           " + url + "/   (overview, review queue, request status, in a browser)");
            out.println("  Operator          " + url + "/metrics  /health/live  /health/ready  /topology  /requests/{id}  /reviews");
        });
        out.println();
        // The commands as they reach this stack: its ports, when they are not the tools' defaults.
        final String kafka = (broker.bootstrapServers().equals(org.mlarouter.config.RouterSettings.DEFAULT_BOOTSTRAP_SERVERS) ? ""
                : " --bootstrap-servers " + broker.bootstrapServers())
                + (registry.url().toString().replaceAll("/+$", "").equals("http://127.0.0.1:8081") ? "" : " --schema-registry-url " + registry.url());
        final String endpoint = router.operatorUrl().map(url -> url.toString().replaceAll("/+$", "").equals("http://127.0.0.1:8080") ? ""
                : " --url " + url.toString().replaceAll("/+$", "")).orElse("");
        out.println("Submit requests:    ./mla-router submit examples/requests.jsonl" + kafka);
        out.println("Follow decisions:   ./mla-router tail --from-beginning" + kafka);
        out.println("Treaty coverage:    ./mla-router treaties list" + kafka);
        if (firstSupervisor.isPresent()) {
            out.println("Sign in once:       ./mla-router login --user " + FirstSupervisor.NAME + endpoint + "   (the password typed, or from MLA_PASSWORD)");
        }
        out.println("Review queue:       ./mla-router review list" + endpoint);
        out.println("Review outcome:     ./mla-router review accept REQUEST_ID --grounds TEXT" + endpoint);
        out.println("Request status:     ./mla-router status REQUEST_ID" + endpoint);
        out.println("Topic throughput:   ./mla-router throughput" + kafka);
        out.println("Stop:               Ctrl-C");
        out.flush();
    }

    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (final Exception e) {
                LoggerFactory.getLogger(EmbeddedStack.class).warn("Stopping {} failed: {}", started.get(i).getClass().getSimpleName(), e.toString());
            }
        }
    }
}
