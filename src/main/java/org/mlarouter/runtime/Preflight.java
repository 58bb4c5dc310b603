package org.mlarouter.runtime;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.admin.Admin;
import org.mlarouter.clients.Clients;
import org.mlarouter.clients.Reachability;
import org.mlarouter.clients.TopicSetup;
import org.mlarouter.config.RouterSettings;

/**
 * What {@code run} makes sure of before the router starts, against a cluster it does not own: a Schema Registry it can
 * use (unless told to wait for it), Kafka (waited for as a service should, saying so once, with {@code /health/ready}
 * saying it meanwhile), and the router's topics (created, or found).
 */
public final class Preflight {

    private static final Duration ATTEMPT_PAUSE = Duration.ofSeconds(1);

    /** How {@code run} was asked to prepare. */
    public record Options(boolean waitForRegistry, boolean createTopics, int partitions, short replicationFactor) {
    }

    /** Why the router cannot start: one line to print, and whether it is the user's to fix (a usage error) or a failure. */
    public record Refusal(String message, boolean usage) {
    }

    private final RouterSettings settings;
    private final Options options;
    private final PrintStream out;
    private final PrintStream err;

    public Preflight(final RouterSettings settings, final Options options, final PrintStream out, final PrintStream err) {
        this.settings = settings;
        this.options = options;
        this.out = out;
        this.err = err;
    }

    /** Runs the checks in order; empty when the router can start. */
    public Optional<Refusal> run() throws InterruptedException, IOException {
        final Optional<Refusal> registry = checkRegistry();
        if (registry.isPresent()) {
            return registry;
        }
        final Optional<Refusal> kafka = awaitKafka();
        return kafka.isPresent() ? kafka : prepareTopics();
    }

    private Optional<Refusal> checkRegistry() throws InterruptedException {
        try {
            Reachability.requireRegistry(settings);
            return Optional.empty();
        } catch (final Reachability.Failure e) {
            if (!options.waitForRegistry()) {
                return Optional.of(new Refusal(e.getMessage() + " (--wait-for-registry starts anyway and waits for it)", true));
            }
            err.println("mla-router: " + e.getMessage() + "; starting anyway (--wait-for-registry): records wait until it answers");
            return Optional.empty();
        }
    }

    /**
     * Waits for Kafka, saying once what it waits for; each attempt lasts up to {@code mla.tools.timeout}. Refuses when
     * Kafka answers but refuses the credentials.
     */
    private Optional<Refusal> awaitKafka() throws InterruptedException, IOException {
        final long started = System.nanoTime();
        WaitingEndpoint endpoint = null;
        final AtomicInteger attempts = new AtomicInteger();
        final AtomicReference<String> lastProblem = new AtomicReference<>();
        try {
            while (true) {
                final long attempt = System.nanoTime();
                attempts.incrementAndGet();
                try {
                    Reachability.requireKafka(settings);
                    if (endpoint != null) {
                        out.println("Kafka at " + settings.bootstrapServers() + " answered after "
                                + Duration.ofNanos(System.nanoTime() - started).toSeconds() + " s");
                    }
                    return Optional.empty();
                } catch (final Reachability.Failure e) {
                    if (e.answered) {
                        return Optional.of(new Refusal(e.getMessage(), true));
                    }
                    lastProblem.set(e.getMessage());
                    if (endpoint == null) {
                        err.println("mla-router: waiting for Kafka: " + e.getMessage() + "; trying again until it answers (Ctrl-C stops)");
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

    private Optional<Refusal> prepareTopics() throws InterruptedException {
        try (Admin admin = new Clients(settings).admin()) {
            final TopicSetup topics = new TopicSetup(admin, settings.router());
            if (options.createTopics()) {
                final List<String> created = topics.createMissing(options.partitions(), options.replicationFactor());
                if (!created.isEmpty()) {
                    out.println("Created topics " + created);
                }
                return Optional.empty();
            }
            final List<String> missing = topics.missing();
            return missing.isEmpty() ? Optional.empty() : Optional.of(new Refusal("topics missing on " + settings.bootstrapServers() + ": "
                    + String.join(", ", missing) + " (create them, or pass --create-topics)", false));
        }
    }
}
