package org.mlarouter.ops;

import java.time.Clock;
import java.util.Optional;

import org.mlarouter.json.Json;
import org.mlarouter.net.WebCall;

/**
 * The command line's sessions ({@code mla-router login}): opened with checked credentials by {@code POST /api/sessions},
 * presented as {@code Authorization: Session TOKEN}, ended by {@code POST /api/sessions/end}. They are kept with the
 * console's sessions ({@link ConsoleSessions}: the same idle time, lifetime and bound) and never come from a cookie.
 */
final class ApiSessions {

    /** The scheme of a session in the {@code Authorization} header. */
    static final String SCHEME = "Session";

    private final ConsoleSessions sessions;
    private final SignIns signIns;
    private final Clock clock;

    ApiSessions(final ConsoleSessions sessions, final SignIns signIns, final Clock clock) {
        this.sessions = sessions;
        this.signIns = signIns;
        this.clock = clock;
    }

    /** The token the call presents, if it presents one. */
    static Optional<String> token(final WebCall call) {
        return call.header("Authorization").filter(header -> header.regionMatches(true, 0, SCHEME + " ", 0, SCHEME.length() + 1))
                .map(header -> header.substring(SCHEME.length() + 1).trim());
    }

    /** The identity of the call's session, if it presents one that is current. */
    Optional<Identity> identity(final WebCall call) {
        return token(call).flatMap(token -> sessions.of(token, true)).map(ConsoleSessions.Session::identity);
    }

    /** Opens a session for an identity already checked: its token, and when it ends at the latest. */
    OperatorView.Answer open(final WebCall call, final Identity identity) {
        final String token = sessions.signIn(identity);
        signIns.sessionOpened(identity.name(), call.remoteAddress());
        final com.fasterxml.jackson.databind.node.ObjectNode answer = Json.object().put("user", identity.name()).put("token", token)
                .put("scheme", SCHEME).put("expiresAt", clock.instant().plus(ConsoleSessions.LIFETIME).toString())
                .put("idleMinutes", ConsoleSessions.IDLE.toMinutes());
        final com.fasterxml.jackson.databind.node.ArrayNode roles = answer.putArray("roles");
        java.util.Arrays.stream(Role.values()).filter(identity.roles()::contains).forEach(role -> roles.add(role.label()));
        return new OperatorView.Answer(200, answer);
    }

    /** Ends the call's session, if it has one. */
    OperatorView.Answer end(final WebCall call) {
        final Optional<String> user = token(call).flatMap(sessions::signOut);
        user.ifPresent(name -> signIns.signedOut(name, call.remoteAddress(), "command line"));
        return new OperatorView.Answer(200, Json.object().put("signedOut", user.isPresent()));
    }
}
