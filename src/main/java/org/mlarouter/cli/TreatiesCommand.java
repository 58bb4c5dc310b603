package org.mlarouter.cli;

import org.mlarouter.config.TopicRole;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.mlarouter.clients.Clients;
import org.mlarouter.config.RouterSettings;
import org.mlarouter.avro.TreatyCoverage;
import org.mlarouter.json.AvroJson;
import org.mlarouter.policy.StateCodes;
import org.mlarouter.clients.TreatyPublisher;
import org.mlarouter.treaty.TreatyTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code mla-router treaties}: the treaty coverage on the treaty topic. */
@Command(name = "treaties", mixinStandardHelpOptions = true,
        description = "Read and publish the treaty coverage the router applies.",
        subcommands = {TreatiesCommand.ListCommand.class, TreatiesCommand.ShowCommand.class, TreatiesCommand.LoadCommand.class,
            TreatiesCommand.RemoveCommand.class})
final class TreatiesCommand implements Callable<Integer> {

    @ParentCommand
    MlaRouter root;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(root.out);
        return MlaRouter.USAGE;
    }

    private static Map<String, TreatyCoverage> current(final RouterSettings settings) {
        try (KafkaConsumer<String, TreatyCoverage> consumer = new Clients(settings).consumer(TreatyCoverage.class)) {
            return new TreatyPublisher(settings.router().topic(TopicRole.TREATIES), Clock.systemUTC()).current(consumer);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "One line per counterpart: revision and instruments with their status.")
    static final class ListCommand implements Callable<Integer> {
        @ParentCommand
        TreatiesCommand parent;

        @Mixin
        SettingsOptions options;

        @Override
        public Integer call() throws InterruptedException {
            final RouterSettings settings = options.reachableSettings(parent.root.environment, true);
            final Map<String, TreatyCoverage> coverage = current(settings);
            parent.root.out.printf("%-3s %-26s %-4s %-21s %s%n", "cp", "name", "rev", "updated", "instruments");
            coverage.values().stream().sorted(java.util.Comparator.comparing(TreatyCoverage::getCounterpartState)).forEach(entry ->
                    parent.root.out.printf("%-3s %-26s %-4d %-21s %s%n", entry.getCounterpartState(), entry.getCounterpartName(),
                            entry.getRevision(), entry.getUpdatedAt(), entry.getInstruments().stream()
                                    .map(instrument -> instrument.getId() + " " + instrument.getStatus() + " " + instrument.getCovers())
                                    .collect(Collectors.joining("; "))));
            parent.root.out.println(coverage.size() + " counterparts on " + settings.router().topic(TopicRole.TREATIES));
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "The coverage of one counterpart, as JSON.")
    static final class ShowCommand implements Callable<Integer> {
        @ParentCommand
        TreatiesCommand parent;

        @Mixin
        SettingsOptions options;

        @Parameters(index = "0", paramLabel = "CC", description = "ISO 3166-1 alpha-2 code of the counterpart, e.g. FR.")
        String counterpart;

        @Override
        public Integer call() throws Exception {
            final RouterSettings settings = options.reachableSettings(parent.root.environment, true);
            final TreatyCoverage coverage = current(settings).get(counterpart.toUpperCase(java.util.Locale.ROOT));
            if (coverage == null) {
                parent.root.err.println("mla-router: no coverage for " + counterpart + " on " + settings.router().topic(TopicRole.TREATIES));
                return MlaRouter.FAILURE;
            }
            parent.root.out.println(org.mlarouter.json.Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(AvroJson.toJson(coverage)));
            return 0;
        }
    }

    @Command(name = "load", mixinStandardHelpOptions = true,
            description = {"Validate a treaty table (a JSON array of TreatyCoverage, like src/main/resources/treaties/kz-treaties.json)"
                + " and publish the counterparts that changed, each with a higher revision. The running router applies them to the next request."})
    static final class LoadCommand implements Callable<Integer> {
        @ParentCommand
        TreatiesCommand parent;

        @Mixin
        SettingsOptions options;

        @Parameters(index = "0", paramLabel = "FILE", description = "The treaty table.")
        Path file;

        @Override
        public Integer call() throws InterruptedException {
            final RouterSettings settings = options.reachableSettings(parent.root.environment, true);
            final TreatyTable table = TreatyTable.load(file, settings.router().homeState());
            final TreatyPublisher publisher = new TreatyPublisher(settings.router().topic(TopicRole.TREATIES), Clock.systemUTC());
            final Map<String, TreatyCoverage> before = current(settings);
            final TreatyPublisher.Summary summary;
            try (KafkaProducer<String, TreatyCoverage> producer = new Clients(settings).producer(TreatyCoverage.class)) {
                summary = publisher.publish(producer, table, before);
            }
            parent.root.out.println("Published " + summary.published.size() + " counterpart(s) to " + settings.router().topic(TopicRole.TREATIES)
                    + (summary.published.isEmpty() ? "" : ": " + String.join(", ", summary.published))
                    + "; unchanged: " + summary.unchanged.size());
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a counterpart's coverage (a tombstone on the compacted topic).")
    static final class RemoveCommand implements Callable<Integer> {
        @ParentCommand
        TreatiesCommand parent;

        @Mixin
        SettingsOptions options;

        @Parameters(index = "0", paramLabel = "CC", description = "ISO 3166-1 alpha-2 code of the counterpart.")
        String counterpart;

        @Override
        public Integer call() throws InterruptedException {
            if (!StateCodes.isAlpha2(counterpart)) {
                parent.root.err.println("mla-router: CC '" + counterpart + "' is not an ISO 3166-1 alpha-2 code (two upper-case letters)");
                return MlaRouter.USAGE;
            }
            final RouterSettings settings = options.reachableSettings(parent.root.environment, true);
            try (KafkaProducer<String, TreatyCoverage> producer = new Clients(settings).producer(TreatyCoverage.class)) {
                new TreatyPublisher(settings.router().topic(TopicRole.TREATIES), Clock.systemUTC()).remove(producer, counterpart);
            }
            parent.root.out.println("Removed " + counterpart + " from " + settings.router().topic(TopicRole.TREATIES));
            return 0;
        }
    }
}
