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
        final OperatorClient.Answer answer = operator.client().status(requestId);
        if (answer.status() != 200) {
            root.err.println("mla-router: " + answer.message());
            return MlaRouter.FAILURE;
        }
        if (json) {
            root.out.println(answer.json());
            return 0;
        }
        final JsonNode status = answer.json();
        root.out.printf("%s: %s (%s, %s, %s urgency)%n", status.get("requestId").asText(), status.get("status").asText(),
                status.get("counterpartState").asText(), status.get("kind").asText(), status.get("urgency").asText().toLowerCase(java.util.Locale.ROOT));
        root.out.println("  legal basis:  " + (status.get("legalBasis").isNull() ? "-" : status.get("legalBasis").asText())
                + "; coverage revision " + (status.get("coverageRevision").isNull() ? "-" : status.get("coverageRevision").asText()));
        for (final JsonNode reason : status.get("reasons")) {
            root.out.println("  reason:       " + reason.get("code").asText() + " - " + reason.get("detail").asText());
        }
        final JsonNode review = status.get("review");
        if (!review.isNull()) {
            root.out.println("  review:       " + review.get("decision").asText() + " by " + review.get("reviewer").asText() + " at "
                    + review.get("reviewedAt").asText() + ": " + review.get("grounds").asText());
        }
        if (status.get("overdue").asBoolean()) {
            root.out.println("  overdue:      the review passed its deadline");
        }
        for (final JsonNode entry : status.get("history")) {
            root.out.println("  history:      " + entry.get("decidedAt").asText() + " " + entry.get("route").asText()
                    + (entry.get("reviewer").isNull() ? " (router)" : " (reviewer " + entry.get("reviewer").asText() + ")"));
        }
        return 0;
    }
}
