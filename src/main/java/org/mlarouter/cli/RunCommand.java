package org.mlarouter.cli;

import org.mlarouter.config.TopicRole;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.admin.Admin;
import org.mlarouter.clients.Clients;
import org.mlarouter.clients.Reachability;
import org.mlarouter.runtime.RouterApplication;
import org.mlarouter.runtime.WaitingEndpoint;
import org.mlarouter.config.RouterSettings;
import org.mlarouter.clients.TopicSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code mla-router run}: the router against an existing Kafka cluster and Schema Registry, until stopped. At start it
 * waits for Kafka (saying so once), and stops with one line (exit 2) on a registry it cannot use, unless told to wait.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the router against an existing Kafka cluster and Schema Registry until stopped (Ctrl-C).")
final class RunCommand implements Callable<Integer> {

    private static final Duration ATTEMPT_PAUSE = Duration.ofSeconds(1);

    @ParentCommand
    MlaRouter root;

    @Mixin
    SettingsOptions options;

    @Option(names = "--create-topics", description = "Create the router's topics that do not exist.")
    boolean createTopics;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "6",
            description = "Partitions of created topics (the treaty topic always has 1; default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--replication-factor", paramLabel = "N", defaultValue = "1",
            description = "Replication factor of created topics (default: ${DEFAULT-VALUE}).")
    short replicationFactor;

    @Option(names = "--wait-for-registry",
            description = "Start even if the Schema Registry cannot be reached, refuses the credentials or is not a registry,"
                    + " and wait for it: records wait, none is dead-lettered, /health/ready says why. Without it, run stops at"
                    + " once (exit 2).")
    boolean waitForRegistry;

    @Override
    public Integer call() throws Exception {
        final RouterSettings settings = options.settings(root.environment);
        try {
            Reachability.requireRegistry(settings);
        } catch (final Reachability.Failure e) {
            if (!waitForRegistry) {
                root.err.println("mla-router: " + e.getMessage() + " (--wait-for-registry starts anyway and waits for it)");
                return MlaRouter.USAGE;
            }
            root.err.println("mla-router: " + e.getMessage() + "; starting anyway (--wait-for-registry): records wait until it answers");
        }
        if (!awaitKafka(settings)) {
            return MlaRouter.USAGE;
        }
        try (Admin admin = new Clients(settings).admin()) {
            final TopicSetup topics = new TopicSetup(admin, settings.router());
            if (createTopics) {
                final List<String> created = topics.createMissing(partitions, replicationFactor);
                if (!created.isEmpty()) {
                    root.out.println("Created topics " + created);
                }
            } else {
                final List<String> missing = topics.missing();
                if (!missing.isEmpty()) {
                    root.err.println("mla-router: topics missing on " + settings.bootstrapServers() + ": " + String.join(", ", missing)
                            + " (create them, or pass --create-topics)");
                    return MlaRouter.FAILURE;
                }
            }
        }
        final RouterApplication router = RouterApplication.start(settings, Clock.systemUTC());
        if (router.awaitRunning(Duration.ofSeconds(120))) {
            root.out.println("mla-router running: application.id " + settings.applicationId() + " on " + settings.bootstrapServers()
                    + ", reading " + settings.router().topic(TopicRole.REQUESTS)
                    + router.operatorUrl().map(url -> "; operator endpoint " + url + "/metrics").orElse("") + " (Ctrl-C stops)");
        } else {
            root.err.println("mla-router: not RUNNING after 120 s (state " + router.streams().state() + "); still trying");
        }
        return Serving.untilStopped(root, router, router, "the router");
    }

    /**
     * Waits for Kafka as a service should, saying once what it waits for; each attempt lasts up to
     * {@code mla.tools.timeout}. Returns false, having said why, when Kafka answers but refuses the credentials.
     */
    private boolean awaitKafka(final RouterSettings settings) throws InterruptedException, java.io.IOException {
        final long started = System.nanoTime();
        boolean said = false;
        WaitingEndpoint endpoint = null;
        final AtomicInteger attempts = new AtomicInteger();
        final AtomicReference<String> lastProblem = new AtomicReference<>();
        try {
            while (true) {
                final long attempt = System.nanoTime();
                attempts.incrementAndGet();
                try {
                    Reachability.requireKafka(settings);
                    if (said) {
                        root.out.println("Kafka at " + settings.bootstrapServers() + " answered after "
                                + Duration.ofNanos(System.nanoTime() - started).toSeconds() + " s");
                    }
                    return true;
                } catch (final Reachability.Failure e) {
                    if (e.answered) {
                        root.err.println("mla-router: " + e.getMessage());
                        return false;
                    }
                    lastProblem.set(e.getMessage());
                    if (!said) {
                        root.err.println("mla-router: waiting for Kafka: " + e.getMessage() + "; trying again until it answers (Ctrl-C stops)");
                        said = true;
                        // /health/ready says it too, meanwhile, with how long it has tried.
                        endpoint = WaitingEndpoint.open(settings, () -> "Kafka: " + lastProblem.get() + " (attempt " + attempts.get() + ", "
                                + Duration.ofNanos(System.nanoTime() - started).toSeconds() + " s)");
                    }
                }
                // An attempt that failed at once (the address refused) is not repeated more than once a second.
                Thread.sleep(Math.max(0, ATTEMPT_PAUSE.toMillis() - Duration.ofNanos(System.nanoTime() - attempt).toMillis()));
            }
        } finally {
            if (endpoint != null) {
                endpoint.close();
            }
        }
    }
}
