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
import java.util.Optional;

import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlarouter.testing.TlsFiles;
import org.mlarouter.testing.UsersFiles;

/** The operator endpoint secured when asked: basic authentication for request answers or every path, and TLS. */
class OperatorSecurityTest {

    @TempDir
    Path dir;

    private static final OperatorView VIEW = new OperatorView() {
        @Override
        public KafkaStreams.State state() {
            return KafkaStreams.State.RUNNING;
        }

        @Override
        public Optional<String> problem() {
            return Optional.empty();
        }

        @Override
        public String metrics() {
            return "m 1\n";
        }

        @Override
        public String topology() {
            return "Topologies: test";
        }

        @Override
        public Answer requestStatus(final String requestId, final boolean localOnly) {
            return new Answer(200, org.mlarouter.json.Json.object().put("requestId", requestId));
        }
    };

    private static int status(final HttpClient http, final URI uri, final String userInfo) throws Exception {
        final HttpRequest.Builder request = HttpRequest.newBuilder(uri);
        if (userInfo != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void shouldAskForCredentialsWhereRequestsAreShownOrEverywhere() throws Exception {
        final HttpClient http = HttpClient.newHttpClient();
        final OperatorSecurity requestsOnly = OperatorSecurity.of(UsersFiles.of(dir.resolve("a"), "reviewer:s3cret:reviewer", "ops:other:operator"), false, null, null);
        try (OperatorServer server = OperatorServer.start("127.0.0.1", 0, VIEW, requestsOnly)) {
            assertEquals(200, status(http, URI.create(server.url() + "/metrics"), null), "metrics stay open");
            assertEquals(401, status(http, URI.create(server.url() + "/requests/r-1"), null));
            assertEquals(401, status(http, URI.create(server.url() + "/reviews"), null));
            assertEquals(401, status(http, URI.create(server.url() + "/requests/r-1"), "reviewer:wrong"));
            assertEquals(200, status(http, URI.create(server.url() + "/requests/r-1"), "reviewer:s3cret"));
            assertEquals(200, status(http, URI.create(server.url() + "/requests/r-1"), "ops:other"));
        }
        try (OperatorServer server = OperatorServer.start("127.0.0.1", 0, VIEW, OperatorSecurity.of(UsersFiles.of(dir.resolve("b"), "ops:other:operator"), true, null, null))) {
            assertEquals(401, status(http, URI.create(server.url() + "/metrics"), null), "every path, when asked");
            assertEquals(200, status(http, URI.create(server.url() + "/health/ready"), "ops:other"));
        }
    }

    @Test
    void shouldServeHttpsOnlyWithAKeyStore() throws Exception {
        final TlsFiles tls = TlsFiles.create(dir, "store-secret");
        try (OperatorServer server = OperatorServer.start("127.0.0.1", 0, VIEW, OperatorSecurity.of(LocalUsers.NONE, false, tls.keyStore, tls.password))) {
            assertTrue(server.url().toString().startsWith("https://"), server.url().toString());
            final HttpClient trusting = HttpClient.newBuilder().sslContext(OperatorSecurity.sslContext(tls.trustStore, tls.password)).build();
            assertEquals(200, status(trusting, URI.create(server.url() + "/health/ready"), null));
            final URI plain = URI.create(server.url().toString().replace("https://", "http://") + "/health/ready");
            assertThrows(IOException.class, () -> status(HttpClient.newHttpClient(), plain, null), "no plain HTTP");
        }
    }
}
