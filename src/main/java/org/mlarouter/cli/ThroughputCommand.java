package org.mlarouter.cli;

import org.mlarouter.config.TopicRole;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.mlarouter.clients.Clients;
import org.mlarouter.config.RouterSettings;
import org.mlarouter.ops.RecordCounter;
import org.mlarouter.ops.ThroughputMonitor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code mla-router throughput}: records per second on each topic (records, not offsets) and the router's lag, live. */
@Command(name = "throughput", mixinStandardHelpOptions = true,
        description = "Messages per second on each of the router's topics (from the brokers' end offsets) and the router's"
            + " consumer lag, refreshed every few seconds until Ctrl-C.")
final class ThroughputCommand implements Callable<Integer> {

    @ParentCommand
    MlaRouter root;

    /** How long the first sample counts the records already there. */
    private static final Duration FIRST_COUNT = Duration.ofMinutes(5);

    @Mixin
    SettingsOptions options;

    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "5", description = "Seconds between samples (default: ${DEFAULT-VALUE}).")
    int intervalSeconds;

    @Option(names = "--once", description = "Print one measurement (over one interval) and exit.")
    boolean once;

    @Option(names = "--json", description = "One JSON object per measurement instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (intervalSeconds < 1) {
            root.err.println("mla-router: --interval must be at least 1 second");
            return MlaRouter.USAGE;
        }
        final RouterSettings settings = options.reachableSettings(root.environment, false);
        final boolean terminal = System.console() != null && !json && root.out == System.out;
        final java.util.List<String> topics = ThroughputMonitor.routerTopics(settings.router());
        try (Admin admin = new Clients(settings).admin();
             ThroughputMonitor monitor = new ThroughputMonitor(admin, new RecordCounter(new Clients(settings).rawConsumer(), topics), topics,
                     settings.router().topic(TopicRole.REQUESTS), settings.applicationId())) {
            // Records, not offsets: they are counted once from the topics' beginning, then what is new at each sample.
            ThroughputMonitor.Sample previous = monitor.sample(FIRST_COUNT);
            if (!previous.complete) {
                root.err.println("mla-router: the topics hold more records than could be counted in " + FIRST_COUNT.toMinutes()
                        + " min; the counts go on at each sample");
            }
            while (!Thread.currentThread().isInterrupted()) {
                // The wait between samples is the measurement interval itself.
                TimeUnit.SECONDS.sleep(intervalSeconds);
                final ThroughputMonitor.Sample current = monitor.sample(Duration.ofSeconds(intervalSeconds));
                if (json) {
                    root.out.println(monitor.json(previous, current));
                } else {
                    if (terminal) {
                        root.out.print("\033[H\033[2J");
                    }
                    root.out.println("mla-router throughput on " + settings.bootstrapServers() + " over the last "
                            + Duration.ofSeconds(intervalSeconds).toSeconds() + " s, at " + current.at);
                    root.out.print(monitor.table(previous, current));
                }
                root.out.flush();
                if (once) {
                    break;
                }
                previous = current;
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
