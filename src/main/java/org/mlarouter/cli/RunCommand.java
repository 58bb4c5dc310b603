package org.mlarouter.cli;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import org.apache.kafka.clients.admin.Admin;
import org.mlarouter.clients.Clients;
import org.mlarouter.runtime.RouterApplication;
import org.mlarouter.config.RouterSettings;
import org.mlarouter.clients.TopicSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code mla-router run}: the router against an existing Kafka cluster and Schema Registry, until stopped. */
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

    @Override
    public Integer call() throws Exception {
        final RouterSettings settings = options.settings(root.environment);
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
                    + ", reading " + settings.router().requestsTopic()
                    + router.operatorUrl().map(url -> "; operator endpoint " + url + "/metrics").orElse("") + " (Ctrl-C stops)");
        } else {
            root.err.println("mla-router: not RUNNING after 120 s (state " + router.streams().state() + "); still trying");
        }
        return Serving.untilStopped(root, router, router, "the router");
    }
}
