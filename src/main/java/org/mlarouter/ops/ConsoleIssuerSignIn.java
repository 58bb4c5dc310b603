package org.mlarouter.ops;

import java.net.URI;
import java.util.Optional;

import org.mlarouter.net.WebCall;

/**
 * The console's sign-in at the organisation's identity provider (docs/contract.md, "People and roles"): authorization code
 * with PKCE, the browser sent there and back, then a console session for the identity of its ID token.
 */
final class ConsoleIssuerSignIn {

    private final OperatorSecurity security;
    private final SignIns signIns;
    private final ConsoleSessions sessions;
    private final String cookie;

    ConsoleIssuerSignIn(final OperatorSecurity security, final SignIns signIns, final ConsoleSessions sessions, final String cookie) {
        this.security = security;
        this.signIns = signIns;
        this.sessions = sessions;
        this.cookie = cookie;
    }

    /** Sends the browser to the issuer to sign in (authorization code with PKCE); it comes back to the callback. */
    void start(final WebCall call) {
        if (security.oidc().isEmpty()) {
            call.text(404, "text/plain; charset=utf-8", "No issuer is configured (mla.http.oidc.issuer)\n");
            return;
        }
        final URI location;
        try {
            location = security.oidc().get().authorization(URI.create(base(call) + "/console/oidc/callback"));
        } catch (final Exception e) {
            call.text(503, "text/plain; charset=utf-8", "The identity provider cannot be reached: " + e.getMessage() + "\n");
            return;
        }
        call.header("Location", location.toString());
        call.text(302, "text/plain; charset=utf-8", "Signing in at the identity provider\n");
    }

    /** The browser back from the issuer: a session for the identity of its ID token, then the console. */
    void finish(final WebCall call) {
        final Optional<Identity> identity = security.oidc().flatMap(oidc -> oidc.signIn(call.query("state").orElse(null),
                call.query("code").orElse(null)));
        if (identity.isEmpty()) {
            signIns.failedAtIssuer(call.remoteAddress(), call.query("error").orElse("refused"));
            call.header("Location", "/?signin=failed");
            call.text(302, "text/plain; charset=utf-8", "Sign-in refused\n");
            return;
        }
        final String token = sessions.signIn(identity.get());
        signIns.signedInAtIssuer(identity.get().name(), call.remoteAddress());
        call.addHeader("Set-Cookie", cookie + "=" + token + "; Path=/; HttpOnly; SameSite=Lax" + (security.tls().isPresent() ? "; Secure" : ""));
        call.header("Location", "/");
        call.text(302, "text/plain; charset=utf-8", "Signed in\n");
    }

    /** This endpoint's base URL as the browser reached it (the issuer sends it back there). */
    private String base(final WebCall call) {
        return (security.tls().isPresent() ? "https://" : "http://") + call.header("Host").orElse("127.0.0.1");
    }
}
