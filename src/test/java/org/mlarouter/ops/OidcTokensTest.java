package org.mlarouter.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlarouter.cli.MlaRouter;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;

/**
 * Bearer tokens from a real OpenID Connect server (mock-oauth2-server, on loopback), checked by the operator endpoint
 * against the issuer's discovery document and keys: a reviewer's token reads requests but not metrics, an operator's
 * the reverse; an expired token, one for another audience, one from another issuer and a forged one are refused; the
 * command line presents a token from {@code --token} or {@code MLA_TOKEN}.
 */
class OidcTokensTest {

    private static final String AUDIENCE = "mla-router";

    private final MockOAuth2Server issuer = new MockOAuth2Server();
    private OperatorServer server;

    private static final OperatorView VIEW = FixedView.INSTANCE;

    @BeforeEach
    void start() throws Exception {
        issuer.start(InetAddress.getLoopbackAddress(), 0);
        final OidcTokens tokens = new OidcTokens(issuer.issuerUrl("central-authority").uri(), AUDIENCE, "roles", "preferred_username");
        server = OperatorServer.start("127.0.0.1", 0, VIEW, OperatorSecurity.NONE.withTokens(tokens));
    }

    @AfterEach
    void stop() {
        server.close();
        issuer.shutdown();
    }

    private String token(final String issuerId, final String audience, final List<String> roles, final long expirySeconds) {
        return issuer.issueToken(issuerId, "subject-" + roles, new DefaultOAuth2TokenCallback(issuerId, "subject-" + roles, "JWT",
                List.of(audience), Map.of("roles", roles, "preferred_username", "staff-" + String.join("-", roles)), expirySeconds)).serialize();
    }

    private int status(final String path, final String token) throws Exception {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void shouldTakeTheIssuersTokensWithTheirRolesAndRefuseTheOthers() throws Exception {
        final String reviewer = token("central-authority", AUDIENCE, List.of("reviewer"), 600);
        final String operator = token("central-authority", AUDIENCE, List.of("operator", "some-other-role"), 600);
        assertEquals(200, status("/requests/r-1", reviewer));
        assertEquals(403, status("/metrics", reviewer), "a reviewer does not read metrics");
        assertEquals(200, status("/metrics", operator));
        assertEquals(403, status("/requests/r-1", operator), "an operator does not read requests");
        assertEquals(200, status("/health/ready", null), "health needs no token");

        final HttpResponse<String> none = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url() + "/requests/r-1")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, none.statusCode());
        assertTrue(none.headers().allValues("WWW-Authenticate").contains("Bearer realm=\"mla-router\""), none.headers().map().toString());

        assertEquals(401, status("/requests/r-1", token("central-authority", AUDIENCE, List.of("reviewer"), -600)), "expired");
        assertEquals(401, status("/requests/r-1", token("central-authority", "another-app", List.of("reviewer"), 600)), "another audience");
        assertEquals(401, status("/requests/r-1", token("another-issuer", AUDIENCE, List.of("reviewer"), 600)), "another issuer");
        final String[] parts = reviewer.split("\\.");
        final String forged = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("{\"iss\":\"" + issuer.issuerUrl("central-authority") + "\",\"aud\":\"" + AUDIENCE + "\",\"sub\":\"x\",\"exp\":4102444800,"
                        + "\"roles\":[\"operator\"],\"preferred_username\":\"mallory\"}").getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertEquals(401, status("/metrics", forged), "claims changed under the issuer's signature");
    }

    @Test
    void shouldLetTheCommandLinePresentAToken() throws Exception {
        final String viewer = token("central-authority", AUDIENCE, List.of("viewer"), 600);
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, MlaRouter.run(Map.of("MLA_TOKEN", viewer), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), "status", "r-7", "--json", "--url", server.url().toString()), err.toString());
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("\"requestId\":\"r-7\""), out.toString(StandardCharsets.UTF_8));

        final ByteArrayOutputStream refusedErr = new ByteArrayOutputStream();
        assertEquals(1, MlaRouter.run(Map.of(), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(refusedErr, true, StandardCharsets.UTF_8), "status", "r-7", "--json", "--url", server.url().toString(),
                "--token", token("central-authority", "another-app", List.of("viewer"), 600)));
        assertTrue(refusedErr.toString(StandardCharsets.UTF_8).contains("refused the credentials (HTTP 401)"), refusedErr.toString(StandardCharsets.UTF_8));
    }
}
