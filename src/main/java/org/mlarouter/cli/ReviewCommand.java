package org.mlarouter.cli;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.mlarouter.avro.OutcomeKind;
import org.mlarouter.avro.ReviewOutcome;
import org.mlarouter.avro.Route;
import org.mlarouter.clients.Clients;
import org.mlarouter.clients.OperatorClient;
import org.mlarouter.config.RouterSettings;
import org.mlarouter.config.TopicRole;
import org.mlarouter.policy.ReviewRules;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code mla-router review}: the review queue, and a reviewer's outcome. */
@Command(name = "review", mixinStandardHelpOptions = true,
        description = "Requests pending review, and a reviewer's outcome for one of them.",
        subcommands = {ReviewCommand.ListCommand.class, ReviewCommand.AcceptCommand.class, ReviewCommand.RefuseCommand.class})
final class ReviewCommand implements Callable<Integer> {

    @ParentCommand
    MlaRouter root;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(root.out);
        return MlaRouter.USAGE;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Requests pending review, oldest first, from every router instance.")
    static final class ListCommand implements Callable<Integer> {
        @ParentCommand
        ReviewCommand parent;

        @Mixin
        OperatorOptions operator;

        @Option(names = "--overdue", description = "Only reviews past their deadline.")
        boolean overdueOnly;

        @Option(names = "--json", description = "One JSON object per line, for scripts.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            final MlaRouter root = parent.root;
            final OperatorClient.Answer answer = operator.client().pendingReviews();
            if (answer.status() != 200) {
                root.err.println("mla-router: " + answer.message());
                return MlaRouter.FAILURE;
            }
            if (!json) {
                root.out.printf("%-28s %-3s %-30s %-8s %-20s %-20s %-7s %s%n", "request", "cp", "kind", "urgency", "pending since", "deadline",
                        "overdue", "reasons");
            }
            int shown = 0;
            for (final JsonNode entry : answer.json()) {
                if (overdueOnly && !entry.get("overdue").asBoolean()) {
                    continue;
                }
                shown++;
                if (json) {
                    root.out.println(entry);
                } else {
                    final StringBuilder reasons = new StringBuilder();
                    entry.get("reasons").forEach(reason -> reasons.append(reasons.length() == 0 ? "" : ",").append(reason.asText()));
                    root.out.printf("%-28s %-3s %-30s %-8s %-20s %-20s %-7s %s%n", entry.get("requestId").asText(), entry.get("counterpartState").asText(),
                            entry.get("kind").asText(), entry.get("urgency").asText(), entry.get("pendingSince").asText(), entry.get("deadline").asText(),
                            entry.get("overdue").asBoolean() ? "yes" : "no", reasons);
                }
            }
            if (!json) {
                root.out.println(shown + (overdueOnly ? " overdue review" : " pending review") + (shown == 1 ? "" : "s"));
            }
            return 0;
        }
    }

    /** What {@code accept} and {@code refuse} share: the request, the reviewer, the grounds, the settings to write with. */
    abstract static class OutcomeCommand implements Callable<Integer> {
        /** The option that gives each part of an outcome, for messages. */
        private static final Map<ReviewRules.Field, String> OPTIONS = Map.of(ReviewRules.Field.DECISION, "the decision",
                ReviewRules.Field.REVIEWER, "--reviewer", ReviewRules.Field.GROUNDS, "--grounds", ReviewRules.Field.LEGAL_BASIS, "--legal-basis");
        @ParentCommand
        ReviewCommand parent;

        @Mixin
        SettingsOptions options;

        @Parameters(index = "0", paramLabel = "REQUEST_ID", description = "The request pending review.")
        String requestId;

        @Option(names = "--reviewer", required = true, paramLabel = "ID", description = "Your staff id (an opaque id, never a name).")
        String reviewer;

        @Option(names = "--grounds", required = true, paramLabel = "TEXT", description = "Your reasoning (no personal data).")
        String grounds;

        abstract Route decision();

        String legalBasis() {
            return null;
        }

        @Override
        public Integer call() throws Exception {
            final MlaRouter root = parent.root;
            if (requestId.isBlank()) {
                root.err.println("mla-router: REQUEST_ID is blank");
                return MlaRouter.USAGE;
            }
            // The router's own rules; the legal basis against the counterpart's instruments is left to it.
            final List<ReviewRules.Problem> problems = ReviewRules.problems(decision().name(), reviewer, grounds, legalBasis(), null, null);
            if (!problems.isEmpty()) {
                final ReviewRules.Problem first = problems.get(0);
                root.err.println("mla-router: " + OPTIONS.get(first.field()) + ": " + first.message());
                return MlaRouter.USAGE;
            }
            final RouterSettings settings = options.reachableSettings(root.environment, true);
            final String topic = settings.router().topic(TopicRole.REVIEWS);
            final ReviewOutcome outcome = new ReviewOutcome(requestId, decision(), ReviewRules.legalBasis(legalBasis()), reviewer, grounds,
                    Clock.systemUTC().instant(), OutcomeKind.DECISION);
            try (KafkaProducer<String, ReviewOutcome> producer = new Clients(settings).producer(ReviewOutcome.class)) {
                producer.send(new ProducerRecord<>(topic, requestId, outcome)).get(60, TimeUnit.SECONDS);
            } catch (final ExecutionException e) {
                root.err.println("mla-router: the outcome for " + requestId + " was not written to " + topic + ": " + e.getCause().getMessage());
                return MlaRouter.FAILURE;
            }
            root.out.println("Wrote " + decision() + " for " + requestId + " to " + topic + " (check it with: mla-router status " + requestId + ")");
            return 0;
        }
    }

    @Command(name = "accept", mixinStandardHelpOptions = true, description = "Accept a request pending review: write a ReviewOutcome to the review topic.")
    static final class AcceptCommand extends OutcomeCommand {
        @Option(names = "--legal-basis", paramLabel = "INSTRUMENT_ID",
                description = "The instrument relied on (default: the router's; none means acceptance on reciprocity).")
        String legalBasis;

        @Override
        Route decision() {
            return Route.ACCEPTED;
        }

        @Override
        String legalBasis() {
            return legalBasis;
        }
    }

    @Command(name = "refuse", mixinStandardHelpOptions = true, description = "Refuse a request pending review: write a ReviewOutcome to the review topic.")
    static final class RefuseCommand extends OutcomeCommand {
        @Override
        Route decision() {
            return Route.REFUSED;
        }
    }
}
