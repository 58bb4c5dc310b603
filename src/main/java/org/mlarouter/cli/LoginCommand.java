package org.mlarouter.cli;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import org.mlarouter.clients.OperatorClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/**
 * {@code mla-router login}: signs in once to a router's endpoint and keeps the session it opens (not the password) in
 * the user's configuration directory, readable by that user only, so that {@code review}, {@code status} and the
 * others need no password until it ends (12 hours at most, 30 minutes unused).
 */
@Command(name = "login", mixinStandardHelpOptions = true, description = "Sign in to a router's endpoint once (--user NAME, the password"
        + " from MLA_PASSWORD or typed, or --token TOKEN) and keep its session in ~/.config/mla-router/sessions.json (yours only);"
        + " the commands that ask the endpoint use it until it ends.")
final class LoginCommand implements Callable<Integer> {

    @ParentCommand
    MlaRouter root;

    @Mixin
    OperatorOptions operator;

    @Override
    public Integer call() throws Exception {
        if (operator.user == null && operator.token == null) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "login needs --user NAME or --token TOKEN");
        }
        final OperatorClient.Answer answer = operator.client(root.environment).openSession();
        if (answer.status() != 200) {
            root.err.println("mla-router: " + answer.message());
            return MlaRouter.FAILURE;
        }
        final JsonNode session = answer.json();
        final SavedSessions saved = new SavedSessions(root.environment, Clock.systemUTC());
        saved.save(operator.url, new SavedSessions.Saved(session.path("user").asText(), session.path("scheme").asText(),
                session.path("token").asText(), Instant.parse(session.path("expiresAt").asText())));
        final StringBuilder roles = new StringBuilder();
        session.path("roles").forEach(role -> roles.append(roles.length() == 0 ? "" : ", ").append(role.asText()));
        root.out.println("Signed in to " + operator.url + " as " + session.path("user").asText() + " (" + roles + "); the session ends at "
                + session.path("expiresAt").asText() + ", or after " + session.path("idleMinutes").asText() + " minutes unused. Kept in "
                + saved.file() + " (readable by you only).");
        return 0;
    }

    /** {@code mla-router logout}: ends the kept session of an endpoint, there and here. */
    @Command(name = "logout", mixinStandardHelpOptions = true, description = "End the session 'login' kept for an endpoint (--url).")
    static final class LogoutCommand implements Callable<Integer> {

        @ParentCommand
        MlaRouter root;

        @Mixin
        OperatorOptions operator;

        @Override
        public Integer call() throws Exception {
            final SavedSessions saved = new SavedSessions(root.environment, Clock.systemUTC());
            final java.util.Optional<SavedSessions.Saved> session = saved.find(operator.url);
            if (session.isPresent()) {
                try {
                    OperatorClient.withAuthorization(operator.url, session.get().authorization()).endSession();
                } catch (final java.io.IOException unreachable) {
                    root.err.println("mla-router: " + unreachable.getMessage() + "; the session is forgotten here and ends there by itself");
                }
            }
            final boolean had = saved.remove(operator.url);
            root.out.println(had ? "Signed out of " + operator.url : "No session kept for " + operator.url);
            return 0;
        }
    }
}
