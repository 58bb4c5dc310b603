package org.mlarouter.cli;

import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import org.mlarouter.clients.OperatorClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code mla-router status ID}: where a request stands. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Where a request stands: its route, reasons, legal basis, review and history (no personal data). Any router"
            + " instance answers for any request. Exit code 1 for an id the router has not decided.")
final class StatusCommand implements Callable<Integer> {

    @ParentCommand
    MlaRouter root;

    @Parameters(index = "0", paramLabel = "REQUEST_ID", description = "The request's id.")
    String requestId;

    @Mixin
    OperatorOptions operator;

    @Option(names = "--json", description = "The status as JSON, for scripts.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        final OperatorClient.Answer answer = operator.client(root.environment).status(requestId);
        if (answer.status() != 200) {
            root.err.println("mla-router: " + answer.message());
            return MlaRouter.FAILURE;
        }
        if (json) {
            root.out.println(answer.json());
            return 0;
        }
        print(root.out, answer.json());
        return 0;
    }

    /**
     * What an API call that answers with a request's status did, for a person: the status (after {@code preface} when
     * given) and exit 0 when it succeeded; else one line, {@code REASON: message}, and exit 1.
     */
    static int report(final MlaRouter root, final OperatorClient.Answer answer, final String preface) {
        if (answer.status() != 200) {
            final String reason = answer.json().path("reason").asText("");
            root.err.println("mla-router: " + (reason.isEmpty() ? "" : reason + ": ") + answer.message());
            return MlaRouter.FAILURE;
        }
        if (preface != null) {
            root.out.println(preface);
        }
        print(root.out, answer.json());
        return 0;
    }

    /** A code in words: {@code MUTUAL_LEGAL_ASSISTANCE} as "mutual legal assistance". */
    static String words(final String code) {
        return code.toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }

    /** A request's status, printed for a person. */
    static void print(final java.io.PrintStream out, final JsonNode status) {
        out.printf("%s: %s (%s, %s, %s)%n", status.get("requestId").asText(), status.get("status").asText(), status.get("counterpartState").asText(),
                words(status.get("kind").asText()), words(status.get("urgency").asText()));
        out.println("  legal basis:  " + (status.get("legalBasis").isNull() ? "-" : status.get("legalBasis").asText())
                + "; coverage revision " + (status.get("coverageRevision").isNull() ? "-" : status.get("coverageRevision").asText()));
        for (final JsonNode reason : status.get("reasons")) {
            out.println("  reason:       " + reason.get("code").asText() + " - " + reason.get("detail").asText());
        }
        final JsonNode review = status.get("review");
        if (!review.isNull()) {
            out.println("  review:       " + review.get("decision").asText() + " by " + review.get("reviewer").asText() + " at "
                    + review.get("reviewedAt").asText() + ": " + review.get("grounds").asText());
            if (review.hasNonNull("confirmedBy")) {
                out.println("  confirmed:    by " + review.get("confirmedBy").asText() + " at " + review.get("confirmedAt").asText());
            }
        }
        final JsonNode proposal = status.path("proposal");
        if (proposal.isObject()) {
            out.println("  proposal:     " + proposal.get("decision").asText() + " by " + proposal.get("reviewer").asText() + " at "
                    + proposal.get("reviewedAt").asText() + ", awaiting confirmation by another supervisor: " + proposal.get("grounds").asText());
        }
        final JsonNode changed = status.path("coverageChanged");
        if (changed.isObject()) {
            final StringBuilder codes = new StringBuilder();
            changed.path("reasons").forEach(reason -> codes.append(codes.length() == 0 ? "" : ", ").append(reason.path("code").asText()));
            out.println("  coverage:     changed since " + changed.path("since").asText() + " (revision " + changed.path("coverageRevision").asText()
                    + "): it would now be " + changed.path("route").asText() + " (" + codes + ")"
                    + (changed.path("legalBasis").isTextual() ? " on " + changed.path("legalBasis").asText() : "") + "; a reviewer decides");
        }
        if (status.get("overdue").asBoolean()) {
            out.println("  overdue:      the review passed its deadline");
        }
        for (final JsonNode entry : status.get("history")) {
            out.println("  history:      " + entry.get("decidedAt").asText() + " " + entry.get("route").asText()
                    + (entry.get("reviewer").isNull() ? " (router)" : " (reviewer " + entry.get("reviewer").asText() + ")"));
        }
    }
}
