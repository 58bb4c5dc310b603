package org.mlarouter.cli;

import org.mlarouter.config.TopicRole;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.mlarouter.clients.Clients;
import org.mlarouter.clients.CoverageChangeLog;
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
            TreatiesCommand.RemoveCommand.class, TreatyChangeCommands.ProposalsCommand.class, TreatyChangeCommands.ApproveCommand.class,
            TreatyChangeCommands.RejectCommand.class, TreatyChangeCommands.HistoryCommand.class})
final class TreatiesCommand extends CommandGroup {

    /** Whether {@code counterpart} is a country code; if not, says so in one line. */
    static boolean isCode(final MlaRouter root, final String counterpart) {
        if (StateCodes.isAlpha2(counterpart)) {
            return true;
        }
        root.err.println("mla-router: CC '" + counterpart + "' is not an ISO 3166-1 alpha-2 code (two upper-case letters)");
        return false;
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
                + " and change the counterparts that differ, each to a higher revision, recording who and why on the treaty-changes topic.",
                "Straight to Kafka, the author --author (default: the operating-system user), when mla.treaties.four.eyes is off and no"
                + " --user or --token is given; otherwise through the router's API (--url), the signed-in supervisor the author, and with"
                + " four-eyes each change waits for another supervisor's approval (treaties approve CC). The running router applies a"
                + " change to the next request and decides the pending reviews of its counterpart again."})
    static final class LoadCommand implements Callable<Integer> {
        @ParentCommand
        TreatiesCommand parent;

        @Mixin
        SettingsOptions options;

        @Mixin
        OperatorOptions operator;

        @Parameters(index = "0", paramLabel = "FILE", description = "The treaty table.")
        Path file;

        @picocli.CommandLine.Option(names = "--note", paramLabel = "TEXT", description = "Why the coverage changes; kept with each change"
                + " (required with mla.treaties.four.eyes).")
        String note;

        @picocli.CommandLine.Option(names = "--author", paramLabel = "NAME", description = "Who makes the change, when it goes straight to"
                + " Kafka (default: the operating-system user); through the router, the signed-in identity is.")
        String author;

        @Override
        public Integer call() throws Exception {
            final MlaRouter root = parent.root;
            final RouterSettings configured = options.settings(root.environment);
            final TreatyTable table = TreatyTable.load(file, configured.router().homeState());
            if (configured.router().treatiesFourEyes() || operator.user != null || operator.token != null) {
                if (note == null || note.isBlank()) {
                    root.err.println("mla-router: --note is required for a change through the router: say why the coverage changes");
                    return MlaRouter.USAGE;
                }
                return throughRouter(root);
            }
            final RouterSettings settings = options.reachableSettings(root.environment, true);
            final TreatyPublisher publisher = new TreatyPublisher(settings.router().topic(TopicRole.TREATIES), Clock.systemUTC());
            final Map<String, TreatyCoverage> before = current(settings);
            final String by = author == null || author.isBlank() ? System.getProperty("user.name", "unknown") : author.strip();
            final TreatyPublisher.Summary summary = publisher.changes(table, before, by, note == null || note.isBlank() ? null : note.strip());
            try (KafkaProducer<String, TreatyCoverage> producer = new Clients(settings).producer(TreatyCoverage.class)) {
                publisher.publish(producer, summary);
            }
            final CoverageChangeLog log = new CoverageChangeLog(settings.router().topic(TopicRole.TREATY_CHANGES));
            try (KafkaProducer<byte[], byte[]> producer = new Clients(settings).rawProducer("treaty-changes", Map.of())) {
                log.write(producer, CoverageChangeLog.applied(summary.coverages, before));
            }
            root.out.println("Published " + summary.published.size() + " counterpart(s) to " + settings.router().topic(TopicRole.TREATIES)
                    + (summary.published.isEmpty() ? "" : ": " + String.join(", ", summary.published))
                    + "; unchanged: " + summary.unchanged.size());
            return 0;
        }

        private int throughRouter(final MlaRouter root) throws Exception {
            final com.fasterxml.jackson.databind.node.ObjectNode body = org.mlarouter.json.Json.object().put("note", note.strip());
            body.set("coverage", org.mlarouter.json.Json.MAPPER.readTree(file.toFile()));
            final org.mlarouter.clients.OperatorClient.Answer answer = operator.client(root.environment).proposeCoverage(body);
            if (answer.status() != 200) {
                root.err.println("mla-router: " + answer.message());
                return MlaRouter.FAILURE;
            }
            answer.json().path("changes").forEach(change -> TreatyChangeCommands.print(root, change));
            final java.util.List<String> proposed = new java.util.ArrayList<>();
            answer.json().path("proposed").forEach(cc -> proposed.add(cc.asText()));
            final java.util.List<String> applied = new java.util.ArrayList<>();
            answer.json().path("applied").forEach(cc -> applied.add(cc.asText()));
            final int unchanged = answer.json().path("unchanged").size();
            root.out.println(proposed.isEmpty()
                    ? "Published " + applied.size() + " counterpart(s) through the router" + (applied.isEmpty() ? "" : ": " + String.join(", ", applied))
                            + "; unchanged: " + unchanged
                    : "Proposed " + proposed.size() + " change(s) for a supervisor's approval: " + String.join(", ", proposed) + "; unchanged: "
                            + unchanged + ". Another supervisor approves each with: mla-router treaties approve CC");
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = {"Remove a counterpart's coverage (a tombstone on the compacted"
            + " topic), recorded with who and why on the treaty-changes topic.", "Straight to Kafka: with mla.treaties.four.eyes on it is refused,"
            + " as nobody would approve it (propose a table without the counterpart's instruments instead)."})
    static final class RemoveCommand implements Callable<Integer> {
        @ParentCommand
        TreatiesCommand parent;

        @Mixin
        SettingsOptions options;

        @Parameters(index = "0", paramLabel = "CC", description = "ISO 3166-1 alpha-2 code of the counterpart.")
        String counterpart;

        @picocli.CommandLine.Option(names = "--note", paramLabel = "TEXT", description = "Why it is removed; kept with the change.")
        String note;

        @picocli.CommandLine.Option(names = "--author", paramLabel = "NAME", description = "Who removes it (default: the operating-system user).")
        String author;

        @Override
        public Integer call() throws InterruptedException {
            if (!isCode(parent.root, counterpart)) {
                return MlaRouter.USAGE;
            }
            final RouterSettings settings = options.reachableSettings(parent.root.environment, true);
            if (settings.router().treatiesFourEyes()) {
                parent.root.err.println("mla-router: mla.treaties.four.eyes is on: a removal straight to Kafka would have nobody's approval;"
                        + " propose a table that leaves " + counterpart + " without instruments in force (treaties load --url ... --user ...)");
                return MlaRouter.USAGE;
            }
            final TreatyCoverage before = current(settings).get(counterpart);
            try (KafkaProducer<String, TreatyCoverage> producer = new Clients(settings).producer(TreatyCoverage.class)) {
                new TreatyPublisher(settings.router().topic(TopicRole.TREATIES), Clock.systemUTC()).remove(producer, counterpart);
            }
            if (before != null) {
                try (KafkaProducer<byte[], byte[]> producer = new Clients(settings).rawProducer("treaty-changes", Map.of())) {
                    new CoverageChangeLog(settings.router().topic(TopicRole.TREATY_CHANGES)).write(producer, List.of(new CoverageChangeLog.Change(
                            counterpart, CoverageChangeLog.State.REMOVED, before.getRevision(), author == null || author.isBlank()
                                    ? System.getProperty("user.name", "unknown") : author.strip(), note == null || note.isBlank() ? null : note.strip(),
                            null, null, Clock.systemUTC().instant(), List.of("removed, with " + before.getInstruments().size() + " instrument(s)"),
                            AvroJson.toJson(before))));
                }
            }
            parent.root.out.println("Removed " + counterpart + " from " + settings.router().topic(TopicRole.TREATIES));
            return 0;
        }
    }
}
