package org.mlarouter.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlarouter.testing.TlsFiles;
import org.mlarouter.testing.UsersFiles;

/** The operator endpoint secured when asked: with users, an identity with a role that may use it on every path but health; TLS. */
class OperatorSecurityTest {

    @TempDir
    Path dir;

    private static final OperatorView VIEW = FixedView.INSTANCE;

    private static int status(final HttpClient http, final URI uri, final String userInfo) throws Exception {
        final HttpRequest.Builder request = HttpRequest.newBuilder(uri);
        if (userInfo != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    /** The users, and an agency of the authority that sent every request of the fixed view (another agency has none of them). */
    private LocalUsers agencies(final LocalUsers users) throws Exception {
        LocalUsers.add(dir.resolve("users"), "pg", "own", java.util.EnumSet.of(Role.AGENCY), java.util.Optional.of(FixedView.AUTHORITY));
        LocalUsers.add(dir.resolve("users"), "agency", "submit", java.util.EnumSet.of(Role.AGENCY), java.util.Optional.of("Parquet de Paris"));
        return LocalUsers.read(dir.resolve("users"));
    }

    @Test
    void shouldAskEveryPathButTheHealthChecksForAnIdentityWithARoleThatMayUseIt() throws Exception {
        final HttpClient http = HttpClient.newHttpClient();
        final OperatorSecurity security = OperatorSecurity.of(agencies(UsersFiles.of(dir, "rev:s3cret:reviewer", "ops:other:operator",
                "view:look:viewer", "agency:submit:agency")), null, null);
        try (OperatorServer server = OperatorServer.start("127.0.0.1", 0, VIEW, security)) {
            assertEquals(200, status(http, URI.create(server.url() + "/health/live"), null), "a liveness probe needs no identity");
            assertEquals(200, status(http, URI.create(server.url() + "/health/ready"), null));
            for (final String path : new String[] {"/metrics", "/topology", "/requests/r-1", "/reviews", "/no-such-path"}) {
                assertEquals(401, status(http, URI.create(server.url() + path), null), path + " needs an identity");
            }
            assertEquals(401, status(http, URI.create(server.url() + "/requests/r-1"), "rev:wrong"));
            final Map<String, Map<String, Integer>> expected = Map.of(
                    "/metrics", Map.of("ops:other", 200, "rev:s3cret", 403, "view:look", 403, "agency:submit", 403),
                    "/topology", Map.of("ops:other", 200, "rev:s3cret", 403, "view:look", 403, "agency:submit", 403),
                    "/requests/r-1", Map.of("ops:other", 403, "rev:s3cret", 200, "view:look", 200, "agency:submit", 404, "pg:own", 200),
                    "/reviews", Map.of("ops:other", 403, "rev:s3cret", 200, "view:look", 200, "agency:submit", 403, "pg:own", 403));
            for (final Map.Entry<String, Map<String, Integer>> path : expected.entrySet()) {
                for (final Map.Entry<String, Integer> user : path.getValue().entrySet()) {
                    assertEquals(user.getValue(), status(http, URI.create(server.url() + path.getKey()), user.getKey()),
                            user.getKey().split(":")[0] + " on " + path.getKey());
                }
            }
        }
        try (OperatorServer open = OperatorServer.start("127.0.0.1", 0, VIEW, OperatorSecurity.NONE)) {
            assertEquals(200, status(http, URI.create(open.url() + "/requests/r-1"), null), "without users, as before");
        }
        try (OperatorServer metrics = OperatorServer.startMetricsOnly(0, VIEW)) {
            assertEquals("127.0.0.1", metrics.url().getHost(), "the metrics-only port listens on loopback");
            assertEquals(200, status(http, URI.create(metrics.url() + "/metrics"), null), "for a Prometheus beside the router");
            assertEquals(404, status(http, URI.create(metrics.url() + "/requests/r-1"), null), "and serves nothing else");
            assertEquals(404, status(http, URI.create(metrics.url() + "/topology"), null));
        }
    }

    private static HttpResponse<String> post(final HttpClient http, final URI uri, final String authorization) throws Exception {
        final HttpRequest.Builder request = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(
                "{\"decision\":\"ACCEPTED\",\"grounds\":\"ok\",\"reviewer\":\"someone-else\"}"));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(final String userInfo) {
        return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldTakeOutcomesOnlyFromTheRolesThatMayRecordThemAndKeepACommandLineSession() throws Exception {
        final HttpClient http = HttpClient.newHttpClient();
        final OperatorSecurity security = OperatorSecurity.of(UsersFiles.of(dir, "rev:s3cret:reviewer", "sup:super:supervisor",
                "view:look:viewer", "ops:other:operator"), null, null);
        try (OperatorServer server = OperatorServer.start("127.0.0.1", 0, VIEW, security)) {
            // The fixed view records nothing (404 "No reviews here"): a 404 means the call got past the role check.
            final Map<String, Map<String, Integer>> expected = Map.of(
                    "/api/requests/r-1/review", Map.of("rev:s3cret", 404, "sup:super", 404, "view:look", 403, "ops:other", 403),
                    "/api/requests/r-1/confirm", Map.of("rev:s3cret", 403, "sup:super", 404, "view:look", 403, "ops:other", 403),
                    "/api/requests/r-1/return", Map.of("rev:s3cret", 403, "sup:super", 404, "view:look", 403, "ops:other", 403));
            for (final Map.Entry<String, Map<String, Integer>> path : expected.entrySet()) {
                assertEquals(401, post(http, URI.create(server.url() + path.getKey()), null).statusCode(), path.getKey() + " needs an identity");
                for (final Map.Entry<String, Integer> user : path.getValue().entrySet()) {
                    assertEquals(user.getValue(), post(http, URI.create(server.url() + path.getKey()), basic(user.getKey())).statusCode(),
                            user.getKey().split(":")[0] + " on " + path.getKey());
                }
            }

            final HttpResponse<String> opened = post(http, URI.create(server.url() + "/api/sessions"), basic("rev:s3cret"));
            assertEquals(200, opened.statusCode(), opened.body());
            final com.fasterxml.jackson.databind.JsonNode session = org.mlarouter.json.Json.MAPPER.readTree(opened.body());
            assertEquals("rev", session.get("user").asText());
            final String authorization = session.get("scheme").asText() + " " + session.get("token").asText();
            assertEquals(404, post(http, URI.create(server.url() + "/api/requests/r-1/review"), authorization).statusCode(), "the session signs in");
            assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(server.url() + "/reviews")).header("Authorization", authorization).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            assertEquals(401, post(http, URI.create(server.url() + "/api/requests/r-1/review"), "Session made-up").statusCode());
            // The console's cookie is no credential for the API: a page elsewhere cannot make a browser record an outcome.
            assertEquals(401, http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/requests/r-1/review"))
                    .header("Cookie", "mla_session=" + session.get("token").asText()).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            assertEquals(200, post(http, URI.create(server.url() + "/api/sessions/end"), authorization).statusCode());
            assertEquals(401, post(http, URI.create(server.url() + "/api/requests/r-1/review"), authorization).statusCode(), "ended");
        }
        try (OperatorServer open = OperatorServer.start("127.0.0.1", 0, VIEW, OperatorSecurity.NONE)) {
            final HttpResponse<String> nobody = post(http, URI.create(open.url() + "/api/requests/r-1/review"), null);
            assertEquals(401, nobody.statusCode(), "without users or an issuer, nobody can be named as the reviewer");
            assertTrue(nobody.body().contains("an outcome needs a signed-in reviewer"), nobody.body());
            assertEquals(401, post(http, URI.create(open.url() + "/api/sessions"), null).statusCode(), "and no session to open");
        }
    }

    @Test
    void shouldServeHttpsOnlyWithAKeyStore() throws Exception {
        final TlsFiles tls = TlsFiles.create(dir, "store-secret");
        try (OperatorServer server = OperatorServer.start("127.0.0.1", 0, VIEW, OperatorSecurity.of(LocalUsers.NONE, tls.keyStore, tls.password))) {
            assertTrue(server.url().toString().startsWith("https://"), server.url().toString());
            final HttpClient trusting = HttpClient.newBuilder().sslContext(OperatorSecurity.sslContext(tls.trustStore, tls.password)).build();
            assertEquals(200, status(trusting, URI.create(server.url() + "/health/ready"), null));
            final URI plain = URI.create(server.url().toString().replace("https://", "http://") + "/health/ready");
            assertThrows(IOException.class, () -> status(HttpClient.newHttpClient(), plain, null), "no plain HTTP");
        }
    }
}
