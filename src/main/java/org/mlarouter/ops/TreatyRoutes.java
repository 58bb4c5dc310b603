package org.mlarouter.ops;

import java.io.IOException;
import java.util.Optional;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import org.mlarouter.json.Json;
import org.mlarouter.net.WebCall;
import org.mlarouter.net.WebServer;

/**
 * The API of coverage changes (docs/contract.md, "Coverage changes"): a supervisor proposes a treaty table with a note
 * ({@code POST /api/treaties}), a supervisor other than the proposer approves or rejects a proposal
 * ({@code POST /api/treaties/{cc}/approve|reject}), and readers see the proposals and the history of every change.
 * The author, approver and times are the router's: the signed-in identity and its clock. Who may use which path is in
 * {@link OperatorServer}'s roles: readers the proposals and history, supervisors the rest.
 */
final class TreatyRoutes {

    private TreatyRoutes() {
    }

    /** The body of a rejection. */
    @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
    record Grounds(String grounds) {
    }

    /** Declares the routes; {@code identity} is the signed-in identity the endpoint's guard admitted. */
    static void declare(final WebServer.Builder routes, final OperatorView view, final Function<WebCall, Optional<Identity>> identity) {
        routes.post("/api/treaties", call -> {
            final Optional<Identity> who = identity.apply(call);
            if (who.isEmpty()) {
                answer(call, nobody());
                return;
            }
            final JsonNode body;
            try {
                body = Json.MAPPER.readTree(call.body());
            } catch (final IOException e) {
                answer(call, OperatorView.Answer.error(400, "INVALID_CHANGE", "The body is not JSON: {\"note\": TEXT, \"coverage\": [...]}"));
                return;
            }
            answer(call, view.proposeCoverage(body == null ? Json.object() : body, who.get().name()));
        });
        routes.get("/api/treaties/proposals", call -> answer(call, view.coverageProposals()));
        routes.get("/api/treaties/history", call -> answer(call, view.coverageHistory(call.query("counterpart").filter(cc -> !cc.isBlank())
                .orElse(null))));
        routes.post("/api/treaties/{cc}/approve", call -> decide(call, view, identity, true));
        routes.post("/api/treaties/{cc}/reject", call -> decide(call, view, identity, false));
    }

    /** The console's: the proposals and history for its Coverage page, and a supervisor's approval or rejection from it. */
    static void declareConsole(final WebServer.Builder routes, final OperatorView view, final ConsoleRoutes console) {
        routes.get("/console/api/treaties/proposals", call -> ConsoleRoutes.json(call, console.refusal(call, ConsoleRoutes.WATCHERS)
                .orElseGet(view::coverageProposals)));
        routes.get("/console/api/treaties/history", call -> ConsoleRoutes.json(call, console.refusal(call, ConsoleRoutes.WATCHERS)
                .orElseGet(() -> view.coverageHistory(null))));
        routes.post("/console/api/treaties/{cc}/{action}", call -> {
            final String action = call.pathParameter("action");
            if (!action.equals("approve") && !action.equals("reject")) {
                ConsoleRoutes.json(call, OperatorView.Answer.error(404, "Not found"));
                return;
            }
            final Optional<ConsoleSessions.Session> session = console.form(call, new Role[] {Role.SUPERVISOR}, "a supervisor");
            if (session.isPresent()) {
                final String grounds = call.bodyAs(Grounds.class).map(Grounds::grounds).orElse(null);
                ConsoleRoutes.json(call, view.decideCoverage(call.pathParameter("cc"), action.equals("approve"), grounds, session.get().user()));
            }
        });
    }

    private static void decide(final WebCall call, final OperatorView view, final Function<WebCall, Optional<Identity>> identity,
                               final boolean approve) throws IOException {
        final Optional<Identity> who = identity.apply(call);
        if (who.isEmpty()) {
            answer(call, nobody());
            return;
        }
        final String grounds = approve ? null : call.bodyAs(Grounds.class).map(Grounds::grounds).orElse(null);
        answer(call, view.decideCoverage(call.pathParameter("cc"), approve, grounds, who.get().name()));
    }

    private static OperatorView.Answer nobody() {
        return OperatorView.Answer.error(401, "A coverage change needs a signed-in supervisor: this router has no users or issuer configured");
    }

    private static void answer(final WebCall call, final OperatorView.Answer answer) {
        call.json(answer.status(), answer.json());
    }
}
