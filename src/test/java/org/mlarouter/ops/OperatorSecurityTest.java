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

    @Test
    void shouldAskEveryPathButTheHealthChecksForAnIdentityWithARoleThatMayUseIt() throws Exception {
        final HttpClient http = HttpClient.newHttpClient();
        final OperatorSecurity security = OperatorSecurity.of(UsersFiles.of(dir, "rev:s3cret:reviewer", "ops:other:operator",
                "view:look:viewer", "agency:submit:agency"), null, null);
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
                    "/requests/r-1", Map.of("ops:other", 403, "rev:s3cret", 200, "view:look", 200, "agency:submit", 403),
                    "/reviews", Map.of("ops:other", 403, "rev:s3cret", 200, "view:look", 200, "agency:submit", 403));
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
