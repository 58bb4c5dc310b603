package org.mlarouter.clients;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The router's operator endpoint as the command-line tools ask it: a request's status, the review queue. */
public final class OperatorClient {

    private static final ObjectMapper JSON = org.mlarouter.json.Json.MAPPER;

    private final URI base;
    private final String authorization;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /**
     * @param userInfo {@code user:password} for an endpoint that asks for HTTP basic authentication, or null. An HTTPS
     *                 endpoint's certificate is checked against the JVM's trust store ({@code -Djavax.net.ssl.trustStore}).
     */
    public OperatorClient(final URI base, final String userInfo) {
        this(base, userInfo == null ? null : "Basic " + java.util.Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)), true);
    }

    private OperatorClient(final URI base, final String authorization, final boolean ignored) {
        this.base = base;
        this.authorization = authorization;
    }

    /** A client that presents an {@code Authorization} header as given (a session kept by {@code mla-router login}). */
    public static OperatorClient withAuthorization(final URI base, final String authorization) {
        return new OperatorClient(base, authorization, true);
    }

    /** {@code POST /api/sessions}: a session for the command line, opened with this client's credentials. */
    public Answer openSession() throws IOException, InterruptedException {
        return send("/api/sessions", HttpRequest.BodyPublishers.ofString("{}"), Duration.ofSeconds(30));
    }

    /** {@code POST /api/sessions/end}: ends this client's session. */
    public Answer endSession() throws IOException, InterruptedException {
        return send("/api/sessions/end", HttpRequest.BodyPublishers.ofString("{}"), Duration.ofSeconds(30));
    }

    /** A client that presents a bearer token from the organisation's identity provider. */
    public static OperatorClient withToken(final URI base, final String token) {
        return new OperatorClient(base, "Bearer " + token.strip(), true);
    }

    /** An answer: the HTTP status and the JSON body. */
    public record Answer(int status, JsonNode json) {

        /** The error message of a JSON error answer. */
        public String message() {
            return json.path("message").asText("HTTP " + status);
        }
    }

    /** {@code GET /requests/{id}}. */
    public Answer status(final String requestId) throws IOException, InterruptedException {
        return get("/requests/" + URLEncoder.encode(requestId, StandardCharsets.UTF_8).replace("+", "%20"));
    }

    /** {@code GET /reviews?...}: requests pending review, filtered, ordered and paged as the query string asks. */
    public Answer pendingReviews(final String queryString) throws IOException, InterruptedException {
        return get("/reviews" + queryString);
    }

    /**
     * {@code POST /api/requests/{id}/review|confirm|return}: a signed-in person's outcome, answered once the router has
     * applied it or held it for confirmation.
     *
     * @param action {@code review}, {@code confirm} or {@code return}
     */
    public Answer outcome(final String requestId, final String action, final JsonNode body) throws IOException, InterruptedException {
        return send("/api/requests/" + URLEncoder.encode(requestId, StandardCharsets.UTF_8).replace("+", "%20") + "/" + action,
                HttpRequest.BodyPublishers.ofString(body.toString()), Duration.ofSeconds(60));
    }

    /** {@code POST /api/treaties}: a treaty table and why it changes, applied or proposed by the signed-in supervisor. */
    public Answer proposeCoverage(final JsonNode body) throws IOException, InterruptedException {
        return send("/api/treaties", HttpRequest.BodyPublishers.ofString(body.toString()), Duration.ofSeconds(60));
    }

    /** {@code GET /api/treaties/proposals}: the coverage changes waiting for approval. */
    public Answer coverageProposals() throws IOException, InterruptedException {
        return get("/api/treaties/proposals");
    }

    /** {@code POST /api/treaties/{cc}/approve} or {@code .../reject} (with grounds). */
    public Answer decideCoverage(final String counterpart, final boolean approve, final String grounds) throws IOException, InterruptedException {
        final JsonNode body = JSON.createObjectNode().put("grounds", grounds);
        return send("/api/treaties/" + URLEncoder.encode(counterpart, StandardCharsets.UTF_8) + (approve ? "/approve" : "/reject"),
                HttpRequest.BodyPublishers.ofString(body.toString()), Duration.ofSeconds(60));
    }

    /** What a 401 says: the endpoint's own message when it is about a session, else what to give. */
    private static String body401(final String body) {
        try {
            final String message = JSON.readTree(body).path("message").asText("");
            if (message.contains("session")) {
                return message;
            }
        } catch (final IOException notJson) {
            // the generic advice below
        }
        return "give --user NAME (password in MLA_PASSWORD or typed) or --token TOKEN, or sign in with mla-router login";
    }

    private Answer get(final String path) throws IOException, InterruptedException {
        return send(path, null, Duration.ofSeconds(30));
    }

    private Answer send(final String path, final HttpRequest.BodyPublisher post, final Duration timeout) throws IOException, InterruptedException {
        final URI uri = URI.create(base.toString().replaceAll("/+$", "") + path);
        final HttpResponse<String> response;
        try {
            final HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout);
            if (post != null) {
                request.POST(post).header("Content-Type", "application/json");
            }
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (final IOException e) {
            throw new IOException("The router's operator endpoint " + base + " did not answer: " + Reachability.why(e, timeout), e);
        }
        if (response.statusCode() == 401) {
            return new Answer(response.statusCode(), JSON.createObjectNode().put("message", "The router's operator endpoint " + base
                    + " refused the credentials (HTTP 401): " + body401(response.body())));
        }
        final JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (final IOException e) {
            throw new IOException(base + " answered " + response.statusCode() + " with what is not the router's JSON: is it the operator endpoint?");
        }
        return new Answer(response.statusCode(), body);
    }
}
