package org.mlarouter.cli;

import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mlarouter.avro.Route;
import org.mlarouter.clients.OperatorClient;
import org.mlarouter.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code mla-router review}: the review queue, and a reviewer's outcome. */
@Command(name = "review", mixinStandardHelpOptions = true,
        description = "Requests pending review, and a reviewer's outcome for one of them.",
        subcommands = {ReviewListCommand.class, ReviewCommand.AcceptCommand.class, ReviewCommand.RefuseCommand.class,
            ReviewCommand.ConfirmCommand.class, ReviewCommand.ReturnCommand.class})
final class ReviewCommand extends CommandGroup {

    /**
     * What {@code accept}, {@code refuse}, {@code confirm} and {@code return} share: the request, the grounds, the
     * endpoint and the sign-in. The outcome goes through the router's API, which names the signed-in person as its
     * reviewer; exit 0 only when it was applied or held for confirmation, printing the request's status.
     */
    abstract static class OutcomeCommand implements Callable<Integer> {
        @ParentCommand
        ReviewCommand parent;

        @Mixin
        OperatorOptions operator;

        @Parameters(index = "0", paramLabel = "REQUEST_ID", description = "The request pending review.")
        String requestId;

        /** {@code review}, {@code confirm} or {@code return}: the API's action. */
        abstract String action();

        /** The body of the call. */
        abstract ObjectNode body();

        @Override
        public Integer call() throws Exception {
            final MlaRouter root = parent.root;
            if (requestId.isBlank()) {
                root.err.println("mla-router: REQUEST_ID is blank");
                return MlaRouter.USAGE;
            }
            return StatusCommand.report(root, operator.client(root.environment).outcome(requestId, action(), body()), null);
        }
    }

    /** A reviewer's decision: ACCEPTED or REFUSED, with grounds. */
    abstract static class DecisionCommand extends OutcomeCommand {
        @Option(names = "--grounds", required = true, paramLabel = "TEXT", description = "Your reasoning (no personal data).")
        String grounds;

        abstract Route decision();

        String legalBasis() {
            return null;
        }

        @Override
        String action() {
            return "review";
        }

        @Override
        ObjectNode body() {
            return Json.object().put("decision", decision().name()).put("grounds", grounds).put("legalBasis", legalBasis());
        }
    }

    @Command(name = "accept", mixinStandardHelpOptions = true, description = "Accept a request pending review, as the signed-in reviewer.")
    static final class AcceptCommand extends DecisionCommand {
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

    @Command(name = "refuse", mixinStandardHelpOptions = true, description = "Refuse a request pending review, as the signed-in reviewer"
            + " (under four-eyes, a proposal a second supervisor confirms).")
    static final class RefuseCommand extends DecisionCommand {
        @Override
        Route decision() {
            return Route.REFUSED;
        }
    }

    @Command(name = "confirm", mixinStandardHelpOptions = true, description = "Confirm another reviewer's proposal held for a second person"
            + " (four-eyes; supervisors only): the final decision follows, naming both.")
    static final class ConfirmCommand extends OutcomeCommand {
        @Override
        String action() {
            return "confirm";
        }

        @Override
        ObjectNode body() {
            return Json.object();
        }
    }

    @Command(name = "return", mixinStandardHelpOptions = true, description = "Return another reviewer's proposal (four-eyes; supervisors"
            + " only): the request is pending review again.")
    static final class ReturnCommand extends OutcomeCommand {
        @Option(names = "--grounds", required = true, paramLabel = "TEXT", description = "Why it goes back (no personal data).")
        String grounds;

        @Override
        String action() {
            return "return";
        }

        @Override
        ObjectNode body() {
            return Json.object().put("grounds", grounds);
        }
    }
}
