package org.mlarouter.ops;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The console's sign-in sessions: a random token in an HttpOnly, SameSite=Strict cookie, and with each session a
 * random token that every form must send back (against cross-site request forgery). Sessions live in this instance's
 * memory and end {@link #LIFETIME} after sign-in whatever happens, after {@link #IDLE} without the reviewer doing
 * anything (the console's own polling does not count), at sign-out, or when the router stops. At most
 * {@value #MAX_SESSIONS} are held: a sign-in beyond that ends the session used least recently.
 */
final class ConsoleSessions {

    static final String COOKIE = "mla_session";
    /** The cookie's name under TLS: the browser then keeps it to this host, over HTTPS, for every path. */
    static final String SECURE_COOKIE = "__Host-mla_session";
    static final Duration IDLE = Duration.ofMinutes(30);
    static final Duration LIFETIME = Duration.ofHours(12);
    static final int MAX_SESSIONS = 1000;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A signed-in person. */
    record Session(Identity identity, String csrfToken) {

        String user() {
            return identity.name();
        }
    }

    private record Entry(Session session, Instant signedIn, Instant lastActive) {
    }

    private final Map<String, Entry> byToken = new ConcurrentHashMap<>();
    private final Clock clock;

    ConsoleSessions(final Clock clock) {
        this.clock = clock;
    }

    /** Signs someone in; returns the session token for the cookie. */
    synchronized String signIn(final Identity identity) {
        byToken.entrySet().removeIf(entry -> expired(entry.getValue()));
        while (byToken.size() >= MAX_SESSIONS) {
            byToken.entrySet().stream().min(Comparator.comparing(entry -> entry.getValue().lastActive()))
                    .ifPresent(oldest -> byToken.remove(oldest.getKey()));
        }
        final String token = randomToken();
        final Instant now = clock.instant();
        byToken.put(token, new Entry(new Session(identity, randomToken()), now, now));
        return token;
    }

    /**
     * The session of a cookie's token, if it is current.
     *
     * @param activity whether the call is the reviewer's doing (it restarts the idle time), not the console's polling
     */
    Optional<Session> of(final String token, final boolean activity) {
        final Entry entry = byToken.get(token);
        if (entry == null || expired(entry)) {
            byToken.remove(token);
            return Optional.empty();
        }
        if (activity) {
            byToken.put(token, new Entry(entry.session(), entry.signedIn(), clock.instant()));
        }
        return Optional.of(entry.session());
    }

    /** Ends a session; returns whose it was. */
    Optional<String> signOut(final String token) {
        return Optional.ofNullable(byToken.remove(token)).map(entry -> entry.session().user());
    }

    int size() {
        return byToken.size();
    }

    private boolean expired(final Entry entry) {
        final Instant now = clock.instant();
        return !entry.lastActive().plus(IDLE).isAfter(now) || !entry.signedIn().plus(LIFETIME).isAfter(now);
    }

    private static String randomToken() {
        final byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
