package org.mlarouter.cli;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import org.mlarouter.embedded.EmbeddedStack;
import org.mlarouter.config.HttpKeys;
import org.mlarouter.config.RouterConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code mla-router embedded}: the whole stack in this process, nothing to install. */
@Command(name = "embedded", mixinStandardHelpOptions = true,
        description = {"Start a Kafka broker (KRaft), a Schema Registry, the topics, the treaty table and the router, all"
            + " in this process, until stopped (Ctrl-C). Data is kept in --data-dir across restarts."})
final class EmbeddedCommand implements Callable<Integer> {

    @ParentCommand
    MlaRouter root;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "data", description = "Where broker data and schemas live (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1", description = "Address every server binds to (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--kafka-port", paramLabel = "PORT", defaultValue = "9092", description = "Kafka client port (default: ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(names = "--controller-port", paramLabel = "PORT", defaultValue = "9093", description = "KRaft controller port (default: ${DEFAULT-VALUE}).")
    int controllerPort;

    @Option(names = "--registry-port", paramLabel = "PORT", defaultValue = "8081", description = "Schema Registry port (default: ${DEFAULT-VALUE}).")
    int registryPort;

    @Option(names = "--http-port", paramLabel = "PORT", descriptionKey = HttpKeys.HTTP_PORT_CONFIG)
    String httpPort;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "6", description = "Partitions of the request, decision and dead-letter topics (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--home-state", paramLabel = "CC", descriptionKey = RouterConfig.HOME_STATE_CONFIG)
    String homeState;

    @Option(names = {"-p", "--property"}, paramLabel = "KEY=VALUE", description = "A router, Streams or client setting (repeatable).")
    Map<String, String> properties = new LinkedHashMap<>();

    @Option(names = "--demo", description = "Also submit the sample requests (examples/requests.jsonl) and print their decisions.")
    boolean demo;

    @Override
    public Integer call() throws Exception {
        final EmbeddedStack.Options options = new EmbeddedStack.Options();
        options.host = host;
        options.kafkaPort = kafkaPort;
        options.controllerPort = controllerPort;
        options.registryPort = registryPort;
        options.dataDir = dataDir;
        options.partitions = partitions;
        options.settings.put(HttpKeys.HTTP_HOST_CONFIG, host);
        if (httpPort != null) {
            options.settings.put(HttpKeys.HTTP_PORT_CONFIG, httpPort);
        }
        options.settings.putAll(properties);
        if (homeState != null) {
            options.settings.put(RouterConfig.HOME_STATE_CONFIG, homeState);
        }
        root.out.println("Starting the embedded stack (data in " + dataDir.toAbsolutePath() + ")");
        final EmbeddedStack stack = EmbeddedStack.start(options);
        try {
            if (!stack.router().awaitRunning(Duration.ofSeconds(120))) {
                root.err.println("mla-router: the router did not reach RUNNING within 120 s");
            }
            final long sinceStart = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
            root.out.println();
            stack.printBanner(root.out);
            root.out.println("(ready " + sinceStart + " ms after the process started)");
            root.out.println();
            if (demo) {
                Demo.run(stack.settings(), root.out, Duration.ofSeconds(60), stack.router().operatorUrl(), stack.firstSupervisorCredentials());
            }
        } catch (final Exception | Error e) {
            stack.close();
            throw e;
        }
        return Serving.untilStopped(root, stack.router(), stack, "the embedded stack");
    }
}
