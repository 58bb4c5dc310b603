package org.mlarouter.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.mlarouter.clients.Clients;
import org.mlarouter.clients.DecisionTail;
import org.mlarouter.config.RouterSettings;
import org.mlarouter.avro.Route;
import org.mlarouter.avro.RoutingDecision;
import org.mlarouter.config.RouterConfig;
import org.mlarouter.config.TopicRole;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code mla-router tail}: decisions as JSON lines. */
@Command(name = "tail", mixinStandardHelpOptions = true,
        description = "Print decisions as JSON lines as they are committed (only committed transactions are read).")
final class TailCommand implements Callable<Integer> {

    @ParentCommand
    MlaRouter root;

    @Mixin
    SettingsOptions options;

    @Option(names = "--route", paramLabel = "ROUTE", split = ",",
            description = "Only these routes: ${COMPLETION-CANDIDATES} (repeatable or comma-separated; default: all).")
    List<Route> routes = new ArrayList<>();

    @Option(names = "--from-beginning", description = "Start with the oldest decision instead of the next one.")
    boolean fromBeginning;

    @Option(names = "--max-messages", paramLabel = "N", defaultValue = "0", description = "Stop after N decisions (default: no limit).")
    int maxMessages;

    @Option(names = "--idle-timeout", paramLabel = "SECONDS", description = "Stop after this many seconds without a decision.")
    Integer idleTimeoutSeconds;

    @Option(names = "--decrypt", description = "Show each request's personal data in clear, decrypted with its data key from the keys"
            + " topic and the key-encryption keys of mla.personal.data.kek.file (which only those entitled hold); erased ones are marked.")
    boolean decrypt;

    @Override
    public Integer call() throws InterruptedException {
        final RouterSettings settings = options.reachableSettings(root.environment, true);
        final RouterConfig config = settings.router();
        final Set<Route> chosen = routes.isEmpty() ? EnumSet.allOf(Route.class) : EnumSet.copyOf(routes);
        final List<String> topics = chosen.stream().map(route -> config.topic(TopicRole.of(route))).toList();
        final java.util.Optional<org.mlarouter.privacy.KeyEncryptionKeys> keys = decrypt ? config.keyEncryptionKeys() : java.util.Optional.empty();
        if (decrypt && keys.isEmpty()) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--decrypt: this router keeps personal data in clear"
                    + " (mla.personal.data.protection=plain)");
        }
        try (KafkaConsumer<String, RoutingDecision> consumer = new Clients(settings).consumer(RoutingDecision.class);
             org.mlarouter.clients.DataKeyReader dataKeys = keys.isPresent() ? new org.mlarouter.clients.DataKeyReader(settings, keys.get()) : null) {
            final DecisionTail tail = new DecisionTail(consumer, root.out, root.err);
            if (dataKeys != null) {
                tail.showing(dataKeys::opened);
            }
            if (!fromBeginning) {
                // Said on standard error, so that standard output stays decisions only, one per line.
                root.err.println("mla-router: waiting for new decisions on " + String.join(", ", topics)
                        + " (--from-beginning shows those already made); Ctrl-C to stop");
            }
            tail.follow(topics, fromBeginning, maxMessages, idleTimeoutSeconds == null ? null : Duration.ofSeconds(idleTimeoutSeconds));
        }
        return 0;
    }
}
