package org.mlarouter.cli;

import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.mlarouter.clients.Clients;
import org.mlarouter.clients.CoverageChangeLog;
import org.mlarouter.clients.OperatorClient;
import org.mlarouter.config.RouterSettings;
import org.mlarouter.config.TopicRole;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * The commands of coverage changes (docs/contract.md, "Coverage changes"): the proposals waiting for a supervisor, a
 * supervisor's approval or rejection through the router's API, and the history of a counterpart's coverage read from
 * the treaty-changes topic.
 */
final class TreatyChangeCommands {

    private TreatyChangeCommands() {
    }

    /** One change in a line, its differences indented under it. */
    static void print(final MlaRouter root, final JsonNode change) {
        final String decidedBy = change.path("decidedBy").asText("");
        root.out.printf("%s rev %d %-8s %s by %s%s: %s%n", change.path("counterpartState").asText(), change.path("revision").asLong(),
                change.path("state").asText(), change.path("at").asText(), change.path("proposedBy").asText("–"),
                decidedBy.isEmpty() ? "" : (change.path("state").asText().equals("REJECTED") ? ", rejected by " : ", approved by ") + decidedBy,
                change.path("note").asText("(no note)") + (change.path("grounds").isTextual() ? " [grounds: " + change.path("grounds").asText() + "]" : ""));
        change.path("changes").forEach(line -> root.out.println("    " + line.asText()));
    }

    private static int refused(final MlaRouter root, final OperatorClient.Answer answer) {
        root.err.println("mla-router: " + answer.message());
        return MlaRouter.FAILURE;
    }

    @Command(name = "proposals", mixinStandardHelpOptions = true,
            description = "The coverage changes waiting for a supervisor's approval (mla.treaties.four.eyes), from the router's API.")
    static final class ProposalsCommand implements Callable<Integer> {
        @ParentCommand
        TreatiesCommand parent;

        @Mixin
        OperatorOptions operator;

        @Override
        public Integer call() throws Exception {
            final MlaRouter root = parent.root;
            final OperatorClient.Answer answer = operator.client(root.environment).coverageProposals();
            if (answer.status() != 200) {
                return refused(root, answer);
            }
            answer.json().forEach(change -> print(root, change));
            root.out.println(answer.json().size() + " proposal(s) waiting for approval");
            return 0;
        }
    }

    /** What {@code approve} and {@code reject} share: the counterpart and the sign-in. */
    abstract static class DecisionCommand implements Callable<Integer> {
        @ParentCommand
        TreatiesCommand parent;

        @Mixin
        OperatorOptions operator;

        @Parameters(index = "0", paramLabel = "CC", description = "ISO 3166-1 alpha-2 code of the counterpart whose proposal it is.")
        String counterpart;

        abstract boolean approve();

        String grounds() {
            return null;
        }

        @Override
        public Integer call() throws Exception {
            final MlaRouter root = parent.root;
            if (!TreatiesCommand.isCode(root, counterpart)) {
                return MlaRouter.USAGE;
            }
            final OperatorClient.Answer answer = operator.client(root.environment).decideCoverage(counterpart, approve(), grounds());
            if (answer.status() != 200) {
                return refused(root, answer);
            }
            print(root, answer.json());
            root.out.println(approve() ? "Approved: the router applies revision " + answer.json().path("revision").asLong() + " of "
                    + counterpart + " to the next request and decides its pending reviews again" : "Rejected: the coverage of " + counterpart
                    + " stays as it is");
            return 0;
        }
    }

    @Command(name = "approve", mixinStandardHelpOptions = true,
            description = "Approve the coverage change proposed for a counterpart, as the signed-in supervisor (not its proposer); the router applies it.")
    static final class ApproveCommand extends DecisionCommand {
        @Override
        boolean approve() {
            return true;
        }
    }

    @Command(name = "reject", mixinStandardHelpOptions = true,
            description = "Reject the coverage change proposed for a counterpart, as the signed-in supervisor (its proposer withdraws it this way).")
    static final class RejectCommand extends DecisionCommand {
        @Option(names = "--grounds", required = true, paramLabel = "TEXT", description = "Why it is rejected.")
        String grounds;

        @Override
        boolean approve() {
            return false;
        }

        @Override
        String grounds() {
            return grounds;
        }
    }

    @Command(name = "history", mixinStandardHelpOptions = true,
            description = "Every change of a counterpart's coverage, oldest first: revision, state, when, who proposed and who approved it,"
                + " why, and what changed (the treaty-changes topic).")
    static final class HistoryCommand implements Callable<Integer> {
        @ParentCommand
        TreatiesCommand parent;

        @Mixin
        SettingsOptions options;

        @Parameters(index = "0", paramLabel = "CC", description = "ISO 3166-1 alpha-2 code of the counterpart.")
        String counterpart;

        @Option(names = "--json", description = "One JSON object per change, for scripts.")
        boolean json;

        @Override
        public Integer call() throws InterruptedException {
            final MlaRouter root = parent.root;
            if (!TreatiesCommand.isCode(root, counterpart)) {
                return MlaRouter.USAGE;
            }
            final RouterSettings settings = options.reachableSettings(root.environment, true);
            final String topic = settings.router().topic(TopicRole.TREATY_CHANGES);
            final List<CoverageChangeLog.Change> changes;
            try (KafkaConsumer<byte[], byte[]> consumer = new Clients(settings).rawConsumer()) {
                changes = new CoverageChangeLog(topic).read(consumer).stream().filter(change -> change.counterpartState().equals(counterpart)).toList();
            }
            for (final CoverageChangeLog.Change change : changes) {
                if (json) {
                    root.out.println(change.toJson());
                } else {
                    print(root, change.toJson());
                }
            }
            if (!json) {
                root.out.println(changes.size() + " change(s) of " + counterpart + " on " + topic);
            }
            return 0;
        }
    }
}
