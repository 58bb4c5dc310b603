package org.mlarouter.ops;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

import org.mlarouter.net.WebCall;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every check of a name and password, for the console's sign-in form and for HTTP basic credentials alike: slowed down
 * and then refused after repeated failures ({@link SignInGuard}), and logged with the name and the address, never the
 * password. The console's sign-ins and sign-outs are logged too; a basic credential that works is not (it comes with
 * every call).
 */
final class SignIns {

    private static final Logger LOG = LoggerFactory.getLogger(SignIns.class);

    /** What became of an attempt: signed in as {@code identity}, refused, or not even checked for {@code retryAfter}. */
    record Attempt(Optional<Identity> identity, Optional<Duration> retryAfter) {

        boolean throttled() {
            return retryAfter.isPresent();
        }
    }

    private final OperatorSecurity security;
    private final SignInGuard guard;

    SignIns(final OperatorSecurity security, final Clock clock) {
        this.security = security;
        this.guard = new SignInGuard(clock);
    }

    /** Checks a name and password given through {@code via} ("console", "basic") from {@code address}. */
    Attempt check(final String user, final String password, final String address, final String via) {
        final String name = printable(user);
        final Optional<Duration> wait = guard.wait(user, address);
        if (wait.isPresent()) {
            LOG.warn("Sign-in as {} from {} ({}) refused without a check for {} s more, after repeated failures", name, address, via,
                    seconds(wait.get()));
            return new Attempt(Optional.empty(), wait);
        }
        final Optional<Identity> identity = security.authenticate(user, password);
        if (identity.isPresent()) {
            guard.succeeded(user, address);
            if (!"basic".equals(via)) {
                LOG.info("Signed in: {} from {} ({})", name, address, via);
            }
            return new Attempt(identity, Optional.empty());
        }
        guard.failed(user, address);
        LOG.warn("Failed sign-in as {} from {} ({})", name, address, via);
        return new Attempt(Optional.empty(), Optional.empty());
    }

    /** The call's HTTP basic credentials, checked, or empty when it has none. */
    Optional<Attempt> basic(final WebCall call) {
        final Optional<String> header = call.header("Authorization");
        if (header.isEmpty() || !header.get().regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        final String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.get().substring(6).trim()), StandardCharsets.UTF_8);
        } catch (final IllegalArgumentException e) {
            return Optional.of(new Attempt(Optional.empty(), Optional.empty()));
        }
        final int colon = decoded.indexOf(':');
        return Optional.of(colon <= 0 ? new Attempt(Optional.empty(), Optional.empty())
                : check(decoded.substring(0, colon), decoded.substring(colon + 1), call.remoteAddress(), "basic"));
    }

    /** Logs a console sign-out. */
    void signedOut(final String user, final String address) {
        signedOut(user, address, "console");
    }

    /** Logs a sign-out. */
    void signedOut(final String user, final String address, final String via) {
        LOG.info("Signed out: {} from {} ({})", printable(user), address, via);
    }

    /** Logs a sign-in through the organisation's issuer. */
    void signedInAtIssuer(final String user, final String address) {
        LOG.info("Signed in: {} from {} (console, identity provider)", printable(user), address);
    }

    /** Logs a sign-in through the issuer that was refused. */
    void failedAtIssuer(final String address, final String why) {
        LOG.warn("Failed sign-in from {} (console, identity provider): {}", address, printable(why));
    }

    /** Logs a session opened for the command line ({@code mla-router login}) by an identity already checked. */
    void sessionOpened(final String user, final String address) {
        LOG.info("Signed in: {} from {} (command line, session)", printable(user), address);
    }

    /** Whole seconds, rounded up, for a Retry-After header. */
    static long seconds(final Duration wait) {
        return Math.max(1, (wait.toMillis() + 999) / 1000);
    }

    /** A name as it may be logged: at most 64 characters, without control characters. */
    private static String printable(final String name) {
        final String text = name == null ? "" : name.codePoints().filter(c -> !Character.isISOControl(c))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return text.length() > 64 ? text.substring(0, 64) + "…" : text;
    }
}
