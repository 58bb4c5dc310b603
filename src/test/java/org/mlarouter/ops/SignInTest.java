package org.mlarouter.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;

import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlarouter.testing.TlsFiles;
import org.mlarouter.testing.UsersFiles;

/**
 * Sign-in hardened: failures slowed and then refused per name and per address (429 with Retry-After, the password not
 * even checked), sessions that end after 30 idle minutes whatever the console polls and after 12 hours whatever is done,
 * a bounded number of them, and the {@code __Host-} cookie under TLS.
 */
class SignInTest {

    @TempDir
    Path dir;

    /** A clock the test moves. */
    private static final class MovingClock extends Clock {
        private Instant now = Instant.parse("2026-12-05T09:00:00Z");

        void advance(final Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(final ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private static final OperatorView VIEW = FixedView.INSTANCE;

    @Test
    void shouldSlowThenLockANameAndAnAddressAfterRepeatedFailures() {
        final MovingClock clock = new MovingClock();
        final SignInGuard guard = new SignInGuard(clock);
        for (int i = 0; i < SignInGuard.FREE_FAILURES; i++) {
            assertEquals(Optional.empty(), guard.wait("alice", "10.0.0.1"), "the first failures cost nothing");
            guard.failed("alice", "10.0.0.1");
        }
        assertEquals(Optional.empty(), guard.wait("alice", "10.0.0.1"));
        guard.failed("alice", "10.0.0.1");
        assertEquals(Optional.of(Duration.ofSeconds(1)), guard.wait("alice", "10.0.0.1"), "then each attempt waits, 1 s first");
        assertEquals(Optional.of(Duration.ofSeconds(1)), guard.wait("alice", "10.0.0.9"), "for the name from any address");
        assertEquals(Optional.of(Duration.ofSeconds(1)), guard.wait("bob", "10.0.0.1"), "and for the address whatever the name");
        assertEquals(Optional.empty(), guard.wait("bob", "10.0.0.9"));
        clock.advance(Duration.ofSeconds(1));
        guard.failed("alice", "10.0.0.1");
        assertEquals(Optional.of(Duration.ofSeconds(2)), guard.wait("alice", "10.0.0.1"), "doubling");
        for (int i = 5; i < SignInGuard.LOCK_AFTER; i++) {
            clock.advance(Duration.ofMinutes(1));
            guard.failed("alice", "10.0.0.1");
        }
        assertEquals(Optional.of(SignInGuard.LOCKOUT), guard.wait("alice", "10.0.0.1"), "then refused for a while");
        clock.advance(SignInGuard.LOCKOUT);
        assertEquals(Optional.empty(), guard.wait("alice", "10.0.0.1"), "and forgotten after it");

        guard.failed("carol", "10.0.0.2");
        guard.succeeded("carol", "10.0.0.2");
        for (int i = 0; i < SignInGuard.FREE_FAILURES; i++) {
            guard.failed("carol", "10.0.0.2");
        }
        assertEquals(Optional.empty(), guard.wait("carol", "10.0.0.2"), "a success starts the count again");
    }

    @Test
    void shouldAnswer429WithoutCheckingThePasswordOnceTooManyFailed() throws Exception {
        final HttpClient http = HttpClient.newHttpClient();
        try (OperatorServer server = OperatorServer.start("127.0.0.1", 0, VIEW, OperatorSecurity.of(UsersFiles.of(dir, "alice:right:reviewer", "bob:other:viewer"), null, null))) {
            final URI status = URI.create(server.url() + "/requests/r-1");
            for (int i = 0; i <= SignInGuard.FREE_FAILURES; i++) {
                assertEquals(401, get(http, status, "alice:wrong-" + i).statusCode());
            }
            final HttpResponse<String> throttled = get(http, status, "alice:right");
            assertEquals(429, throttled.statusCode(), "even the right password waits: " + throttled.body());
            assertEquals(Optional.of("1"), throttled.headers().firstValue("Retry-After"));
            assertEquals(429, signIn(http, server.url(), "alice", "right").statusCode(), "the console's form counts alike");
            assertEquals(429, get(http, status, "bob:other").statusCode(), "from the same address, another name waits too");
        }
    }

    @Test
    void shouldEndSessionsAfterIdleMinutesWhateverTheConsolePollsAndAfterTwelveHours() {
        final MovingClock clock = new MovingClock();
        final ConsoleSessions sessions = new ConsoleSessions(clock);
        final String polled = sessions.signIn(person("alice"));
        final String active = sessions.signIn(person("bob"));
        for (int minute = 0; minute < 29; minute++) {
            clock.advance(Duration.ofMinutes(1));
            assertTrue(sessions.of(polled, false).isPresent());
            assertTrue(sessions.of(active, true).isPresent());
        }
        clock.advance(Duration.ofMinutes(1));
        assertFalse(sessions.of(polled, false).isPresent(), "30 minutes of polling alone end a session");
        assertTrue(sessions.of(active, true).isPresent(), "what the reviewer does keeps it");
        for (int step = 0; step < 12 * 4; step++) {
            clock.advance(Duration.ofMinutes(15));
            sessions.of(active, true);
        }
        assertFalse(sessions.of(active, true).isPresent(), "no session outlives 12 hours");
    }

    @Test
    void shouldHoldABoundedNumberOfSessions() {
        final MovingClock clock = new MovingClock();
        final ConsoleSessions sessions = new ConsoleSessions(clock);
        final String first = sessions.signIn(person("first"));
        clock.advance(Duration.ofSeconds(1));
        final String second = sessions.signIn(person("second"));
        for (int i = 2; i < ConsoleSessions.MAX_SESSIONS + 5; i++) {
            clock.advance(Duration.ofMillis(1));
            sessions.signIn(person("user-" + i));
        }
        assertEquals(ConsoleSessions.MAX_SESSIONS, sessions.size());
        assertFalse(sessions.of(first, false).isPresent(), "the least recently active went first");
        assertFalse(sessions.of(second, false).isPresent());
    }

    @Test
    void shouldSetAHostOnlySecureCookieUnderTls() throws Exception {
        final TlsFiles tls = TlsFiles.create(dir, "store-secret");
        final HttpClient http = HttpClient.newBuilder().sslContext(OperatorSecurity.sslContext(tls.trustStore, tls.password)).build();
        try (OperatorServer server = OperatorServer.start("127.0.0.1", 0, VIEW, OperatorSecurity.of(UsersFiles.of(dir.resolve("tls"), "alice:right:reviewer"), tls.keyStore, tls.password))) {
            final HttpResponse<String> signedIn = signIn(http, server.url(), "alice", "right");
            assertEquals(200, signedIn.statusCode(), signedIn.body());
            final String cookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow();
            assertTrue(cookie.startsWith(ConsoleSessions.SECURE_COOKIE + "=") && cookie.contains("; Secure") && cookie.contains("Path=/")
                    && !cookie.contains("Domain"), cookie);
            final String session = cookie.substring(0, cookie.indexOf(';'));
            final HttpResponse<String> who = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/console/api/session"))
                    .header("Cookie", session).build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(who.body().contains("\"user\":\"alice\""), who.body());
        }
        try (OperatorServer plain = OperatorServer.start("127.0.0.1", 0, VIEW, OperatorSecurity.of(UsersFiles.of(dir.resolve("plain"), "alice:right:reviewer"), null, null))) {
            final String cookie = signIn(HttpClient.newHttpClient(), plain.url(), "alice", "right").headers().firstValue("Set-Cookie").orElseThrow();
            assertTrue(cookie.startsWith(ConsoleSessions.COOKIE + "=") && !cookie.contains("Secure"), cookie);
        }
    }

    private static Identity person(final String name) {
        return new Identity(name, java.util.Set.of(Role.REVIEWER));
    }

    private static HttpResponse<String> get(final HttpClient http, final URI uri, final String userInfo) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).header("Authorization", "Basic "
                + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> signIn(final HttpClient http, final URI base, final String user, final String password) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/console/signin"))
                .header("Content-Type", "application/json").header("Origin", base.toString())
                .POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"" + user + "\",\"password\":\"" + password + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

}
