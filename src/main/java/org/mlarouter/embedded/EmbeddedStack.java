package org.mlarouter.embedded;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.mlarouter.app.Clients;
import org.mlarouter.app.RequestSubmitter;
import org.mlarouter.app.RouterApplication;
import org.mlarouter.app.RouterSettings;
import org.mlarouter.app.TopicReader;
import org.mlarouter.app.TopicSetup;
import org.mlarouter.avro.AssistanceRequest;
import org.mlarouter.avro.Reason;
import org.mlarouter.avro.Route;
import org.mlarouter.avro.RoutingDecision;
import org.mlarouter.avro.TreatyCoverage;
import org.mlarouter.registry.SchemaJournal;
import org.mlarouter.registry.SchemaRegistryServer;
import org.mlarouter.topology.RouterConfig;
import org.mlarouter.treaty.TreatyPublisher;
import org.mlarouter.treaty.TreatyTable;

/**
 * The whole stack in one process, for a first run with nothing installed: a real Kafka broker (KRaft), the embedded
 * Schema Registry, the router's topics, the shipped treaty table on the treaty topic (on first start only, so coverage
 * changed since is kept), and the router with exactly-once v2. The broker's data and the registry's schemas live in
 * the data directory and survive restarts. {@link #close()} stops everything in reverse order.
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
            given.put("bootstrap.servers", broker.bootstrapServers());
            given.put(RouterConfig.SCHEMA_REGISTRY_URL_CONFIG, registry.url().toString());
            given.putIfAbsent("state.dir", options.dataDir.resolve("streams").toAbsolutePath().toString());
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
        final TreatyPublisher publisher = new TreatyPublisher(settings.router().treatiesTopic(), Clock.systemUTC());
        final Map<String, TreatyCoverage> current;
        try (KafkaConsumer<String, TreatyCoverage> consumer = clients.consumer(TreatyCoverage.class)) {
            current = publisher.current(consumer);
        }
        if (!current.isEmpty()) {
            return current.size() + " counterparts on " + settings.router().treatiesTopic() + " (kept from the last run)";
        }
        final TreatyTable table = TreatyTable.shipped(settings.router().homeState());
        try (KafkaProducer<String, TreatyCoverage> producer = clients.producer(TreatyCoverage.class)) {
            publisher.publish(producer, table, current);
        }
        return table.all().size() + " counterparts on " + settings.router().treatiesTopic() + " (published the shipped table)";
    }

    public RouterSettings settings() {
        return settings;
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
                + settings.streamsProperties().getProperty("processing.guarantee") + ", home state " + config.homeState());
        out.println("  Topics            " + config.requestsTopic() + " -> " + config.acceptedTopic() + " | " + config.refusedTopic()
                + " | " + config.needsReviewTopic() + "; dead letters " + config.deadLetterTopic());
        out.println("  Treaties          " + treatyNote);
        router.operatorUrl().ifPresent(url -> out.println("  Operator          " + url + "/metrics  /health/live  /health/ready  /topology"));
        out.println();
        out.println("Submit requests:    ./mla-router submit examples/requests.jsonl");
        out.println("Follow decisions:   ./mla-router tail --from-beginning");
        out.println("Treaty coverage:    ./mla-router treaties list");
        out.println("Topic throughput:   ./mla-router throughput");
        out.println("Stop:               Ctrl-C");
        out.flush();
    }

    /**
     * Submits the sample requests (with ids made unique to this run), waits for their decisions and prints them with a
     * summary by route.
     *
     * @return the decisions, by request id
     */
    public Map<String, RoutingDecision> runDemo(final PrintStream out, final Duration timeout) throws IOException {
        final String suffix = "-" + Long.toString(Instant.now().toEpochMilli(), 36).toUpperCase(java.util.Locale.ROOT);
        final StringBuilder lines = new StringBuilder();
        try (BufferedReader sample = new BufferedReader(new InputStreamReader(
                EmbeddedStack.class.getResourceAsStream("/examples/requests.jsonl"), StandardCharsets.UTF_8))) {
            String line;
            while ((line = sample.readLine()) != null) {
                lines.append(line.replaceFirst("\"requestId\": \"([^\"]+)\"", "\"requestId\": \"$1" + suffix + "\"")).append('\n');
            }
        }
        final Clients clients = new Clients(settings);
        final RequestSubmitter.Result submitted;
        final Instant start = Instant.now();
        try (KafkaProducer<String, AssistanceRequest> producer = clients.producer(AssistanceRequest.class)) {
            submitted = new RequestSubmitter(producer, settings.router().requestsTopic(), out)
                    .submit(new BufferedReader(new StringReader(lines.toString())), "examples/requests.jsonl");
        }
        out.println("Demo: submitted " + submitted.submitted + " sample requests to " + settings.router().requestsTopic());
        final Map<String, RoutingDecision> decisions = awaitDecisions(clients, submitted.requestIds, timeout);
        final Duration took = Duration.between(start, Instant.now());
        printDecisions(out, submitted.requestIds, decisions);
        out.println("Demo: " + decisions.size() + " of " + submitted.submitted + " decided in " + took.toMillis() + " ms");
        out.flush();
        return decisions;
    }

    private Map<String, RoutingDecision> awaitDecisions(final Clients clients, final List<String> requestIds, final Duration timeout) {
        final RouterConfig config = settings.router();
        final Map<String, RoutingDecision> decisions = new LinkedHashMap<>();
        try (KafkaConsumer<String, RoutingDecision> consumer = clients.consumer(RoutingDecision.class)) {
            TopicReader.assign(consumer, List.of(config.acceptedTopic(), config.refusedTopic(), config.needsReviewTopic()), true);
            final Instant deadline = Instant.now().plus(timeout);
            while (decisions.size() < requestIds.size() && Instant.now().isBefore(deadline)) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (requestIds.contains(record.key())) {
                        decisions.put(record.key(), record.value());
                    }
                });
            }
        }
        return decisions;
    }

    private static void printDecisions(final PrintStream out, final List<String> requestIds, final Map<String, RoutingDecision> decisions) {
        out.println();
        out.printf("%-24s %-3s %-30s %-13s %-14s %s%n", "request", "cp", "kind", "route", "legal basis", "reasons");
        final Map<Route, Integer> byRoute = new EnumMap<>(Route.class);
        for (final String requestId : requestIds) {
            final RoutingDecision decision = decisions.get(requestId);
            if (decision == null) {
                out.printf("%-24s (no decision yet)%n", requestId);
                continue;
            }
            byRoute.merge(decision.getRoute(), 1, Integer::sum);
            out.printf("%-24s %-3s %-30s %-13s %-14s %s%n", requestId, decision.getCounterpartState(), decision.getRequest().getKind(),
                    decision.getRoute(), decision.getLegalBasis() == null ? "-" : decision.getLegalBasis(),
                    decision.getReasons().stream().map(Reason::getCode).map(Object::toString).collect(Collectors.joining(",")));
        }
        out.println();
        out.println("Summary: " + byRoute.entrySet().stream().map(entry -> entry.getKey() + " " + entry.getValue())
                .collect(Collectors.joining(", ")));
    }

    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (final Exception e) {
                org.slf4j.LoggerFactory.getLogger(EmbeddedStack.class).warn("Stopping {} failed: {}", started.get(i).getClass().getSimpleName(), e.toString());
            }
        }
    }
}
