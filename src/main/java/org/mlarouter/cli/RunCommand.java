package org.mlarouter.cli;

import org.mlarouter.config.TopicRole;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.mlarouter.runtime.Preflight;
import org.mlarouter.runtime.RouterApplication;
import org.mlarouter.config.RouterSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code mla-router run}: the router against an existing Kafka cluster and Schema Registry, until stopped. What it makes
 * sure of first is {@link Preflight}'s: it waits for Kafka (saying so once), and stops with one line (exit 2) on a
 * registry it cannot use, unless told to wait.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the router against an existing Kafka cluster and Schema Registry until stopped (Ctrl-C).")
final class RunCommand implements Callable<Integer> {

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
        settings.router().outcomeSignature(); // its keys first: a missing or unreadable one stops run with one line (exit 2)
        settings.router().keyEncryptionKeys();
        final Optional<Preflight.Refusal> refused = new Preflight(settings,
                new Preflight.Options(waitForRegistry, createTopics, partitions, replicationFactor), root.out, root.err).run();
        if (refused.isPresent()) {
            root.err.println("mla-router: " + refused.get().message());
            return refused.get().usage() ? MlaRouter.USAGE : MlaRouter.FAILURE;
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
}
