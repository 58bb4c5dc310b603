package org.mlarouter.ops;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The console's sign-in sessions: a random token in an HttpOnly, SameSite=Strict cookie, and with each session a
 * random token that every form must send back (against cross-site request forgery). Sessions live in this instance's
 * memory and end after {@link #IDLE} without use, at sign-out, or when the router stops.
 */
final class ConsoleSessions {

    static final String COOKIE = "mla_session";
    static final Duration IDLE = Duration.ofHours(8);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A signed-in reviewer. */
    record Session(String user, String csrfToken) {
    }

    private record Entry(Session session, Instant lastUsed) {
    }

    private final Map<String, Entry> byToken = new ConcurrentHashMap<>();
    private final Clock clock;

    ConsoleSessions(final Clock clock) {
        this.clock = clock;
    }

    /** Signs {@code user} in; returns the session token for the cookie. */
    String signIn(final String user) {
        final String token = randomToken();
        byToken.put(token, new Entry(new Session(user, randomToken()), clock.instant()));
        byToken.entrySet().removeIf(entry -> expired(entry.getValue()));
        return token;
    }

    /** The session of a cookie's token, if it is current. */
    Optional<Session> of(final String token) {
        final Entry entry = byToken.get(token);
        if (entry == null || expired(entry)) {
            byToken.remove(token);
            return Optional.empty();
        }
        byToken.put(token, new Entry(entry.session(), clock.instant()));
        return Optional.of(entry.session());
    }

    void signOut(final String token) {
        byToken.remove(token);
    }

    private boolean expired(final Entry entry) {
        return entry.lastUsed().plus(IDLE).isBefore(clock.instant());
    }

    private static String randomToken() {
        final byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
