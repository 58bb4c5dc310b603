package org.mlarouter.ops;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import org.mlarouter.ops.ConsoleSessions.Session;

/**
 * The web console, served by the operator endpoint with nothing else to install: one page ({@code console.html}, with
 * its script and style sheet from the jar) for {@code /}, {@code /reviews} and {@code /requests/{id}} when a browser
 * asks for HTML, and under {@code /console/}:
 * <ul>
 *   <li>{@code POST /console/signin}, {@code POST /console/signout}; {@code GET /console/api/session}</li>
 *   <li>{@code GET /console/api/overview}, {@code /console/api/reviews}, {@code /console/api/requests/{id}},
 *       {@code /console/api/details/{id}}</li>
 *   <li>{@code POST /console/api/reviews/{id}}: a reviewer's outcome</li>
 * </ul>
 * Without users configured the console is read-only and shows no personal data. With them, reading requests and the
 * queue needs a signed-in reviewer (or HTTP basic credentials), and only a signed-in reviewer may act and see a pending
 * request's subjects. Every POST must come from the console's own origin, and an outcome must carry the session's
 * anti-forgery token.
 */
final class ConsoleRoutes {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> ASSETS = Map.of("console.js", "text/javascript; charset=utf-8", "console.css", "text/css; charset=utf-8");
    private static final String CSRF_HEADER = "X-CSRF-Token";

    private final OperatorView view;
    private final OperatorSecurity security;
    private final ConsoleSessions sessions = new ConsoleSessions(Clock.systemUTC());

    ConsoleRoutes(final OperatorView view, final OperatorSecurity security) {
        this.view = view;
        this.security = security;
    }

    /** Whether a browser asks for a page (HTML), not an API answer. */
    static boolean isPageRequest(final HttpExchange exchange) {
        final String accept = exchange.getRequestHeaders().getFirst("Accept");
        return "GET".equals(exchange.getRequestMethod()) && accept != null && accept.contains("text/html");
    }

    /**
     * The authenticator of the endpoint's protected paths: a page (which holds no data) and a signed-in reviewer's
     * requests pass; anything else needs HTTP basic credentials.
     */
    Authenticator authenticator() {
        final Authenticator basic = security.authenticator();
        return new Authenticator() {
            @Override
            public Result authenticate(final HttpExchange exchange) {
                if (isPageRequest(exchange)) {
                    return new Success(new HttpPrincipal("-", "mla-router"));
                }
                final Optional<Session> session = sessions.of(exchange);
                return session.isPresent() ? new Success(new HttpPrincipal(session.get().user(), "mla-router")) : basic.authenticate(exchange);
            }
        };
    }

    /** Serves the console's page. */
    void page(final HttpExchange exchange) throws IOException {
        send(exchange, 200, "text/html; charset=utf-8", resource("console.html"));
    }

    /** Handles everything under {@code /console/}. */
    void handle(final HttpExchange exchange) throws IOException {
        final String path = exchange.getRequestURI().getRawPath();
        final String method = exchange.getRequestMethod();
        final boolean local = OperatorServer.isLocal(exchange);
        final Optional<String> user = sessions.of(exchange).map(Session::user).or(() -> security.basicUser(exchange));
        final boolean mayRead = security.passwordByUser().isEmpty() || user.isPresent();
        if (path.startsWith("/console/assets/") && ASSETS.containsKey(path.substring("/console/assets/".length()))) {
            final String name = path.substring("/console/assets/".length());
            send(exchange, 200, ASSETS.get(name), resource(name));
        } else if (path.equals("/console/signin") && "POST".equals(method)) {
            signIn(exchange);
        } else if (path.equals("/console/signout") && "POST".equals(method)) {
            sessions.signOut(exchange);
            exchange.getResponseHeaders().add("Set-Cookie", ConsoleSessions.COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
            json(exchange, new OperatorView.Answer(200, "{}"));
        } else if (path.equals("/console/api/session")) {
            final Optional<Session> session = sessions.of(exchange);
            json(exchange, new OperatorView.Answer(200, JSON.createObjectNode().put("signInEnabled", !security.passwordByUser().isEmpty())
                    .put("user", session.map(Session::user).orElse(null)).put("csrfToken", session.map(Session::csrfToken).orElse(null)).toString()));
        } else if (path.equals("/console/api/overview")) {
            json(exchange, security.everyPath() && !mayRead ? signInFirst() : view.overview());
        } else if (path.equals("/console/api/reviews") && "GET".equals(method)) {
            json(exchange, mayRead ? view.pendingReviews(local) : signInFirst());
        } else if (path.startsWith("/console/api/requests/")) {
            json(exchange, mayRead ? view.requestStatus(idAfter(path, "/console/api/requests/"), local) : signInFirst());
        } else if (path.startsWith("/console/api/details/")) {
            final boolean subjects = user.isPresent() && query(exchange).contains("subjects=true");
            json(exchange, mayRead ? view.pendingDetails(idAfter(path, "/console/api/details/"), subjects, local) : signInFirst());
        } else if (path.startsWith("/console/api/reviews/") && "POST".equals(method)) {
            review(exchange, idAfter(path, "/console/api/reviews/"));
        } else {
            json(exchange, OperatorView.Answer.error(404, "Not found"));
        }
    }

    private void signIn(final HttpExchange exchange) throws IOException {
        if (!sameOrigin(exchange)) {
            json(exchange, OperatorView.Answer.error(403, "Sign in from the console's own page"));
            return;
        }
        final JsonNode form = body(exchange);
        final String user = form.path("user").asText("");
        if (security.passwordByUser().isEmpty() || !security.accepts(user, form.path("password").asText(""))) {
            json(exchange, OperatorView.Answer.error(401, security.passwordByUser().isEmpty()
                    ? "This router has no reviewers configured (mla.http.users): the console is read-only" : "Unknown user or wrong password"));
            return;
        }
        final String token = sessions.signIn(user);
        exchange.getResponseHeaders().add("Set-Cookie", ConsoleSessions.COOKIE + "=" + token + "; Path=/; HttpOnly; SameSite=Strict"
                + (security.tls().isPresent() ? "; Secure" : ""));
        json(exchange, new OperatorView.Answer(200, JSON.createObjectNode().put("user", user).toString()));
    }

    private void review(final HttpExchange exchange, final String requestId) throws IOException {
        final Optional<Session> session = sessions.of(exchange);
        if (session.isEmpty()) {
            json(exchange, OperatorView.Answer.error(401, "Sign in as a reviewer to act on a request"));
            return;
        }
        final String token = exchange.getRequestHeaders().getFirst(CSRF_HEADER);
        if (!sameOrigin(exchange) || token == null || !java.security.MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                session.get().csrfToken().getBytes(StandardCharsets.UTF_8))) {
            json(exchange, OperatorView.Answer.error(403, "The form is stale or did not come from the console: reload the page"));
            return;
        }
        final JsonNode form = body(exchange);
        json(exchange, view.review(requestId, form.path("decision").asText(""), form.path("legalBasis").asText(""), session.get().user(),
                form.path("grounds").asText("")));
    }

    private static OperatorView.Answer signInFirst() {
        return OperatorView.Answer.error(401, "Sign in as a reviewer to see requests");
    }

    /** Whether a POST comes from a page of this endpoint: its Origin names the host it was sent to. */
    private static boolean sameOrigin(final HttpExchange exchange) {
        final String origin = exchange.getRequestHeaders().getFirst("Origin");
        final String host = exchange.getRequestHeaders().getFirst("Host");
        return origin != null && host != null && (origin.equals("http://" + host) || origin.equals("https://" + host));
    }

    private static JsonNode body(final HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            final byte[] bytes = in.readNBytes(16 * 1024);
            return bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
        } catch (final com.fasterxml.jackson.core.JacksonException e) {
            return JSON.createObjectNode();
        }
    }

    private static String idAfter(final String path, final String prefix) {
        return URLDecoder.decode(path.substring(prefix.length()), StandardCharsets.UTF_8);
    }

    private static String query(final HttpExchange exchange) {
        return exchange.getRequestURI().getQuery() == null ? "" : exchange.getRequestURI().getQuery();
    }

    private static String resource(final String name) throws IOException {
        try (InputStream in = ConsoleRoutes.class.getResourceAsStream("/console/" + name)) {
            if (in == null) {
                throw new IOException("The console's " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void json(final HttpExchange exchange, final OperatorView.Answer answer) throws IOException {
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        send(exchange, answer.status(), "application/json", answer.json() + "\n");
    }

    private static void send(final HttpExchange exchange, final int status, final String contentType, final String body) throws IOException {
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.getResponseHeaders().set("Referrer-Policy", "no-referrer");
        exchange.getResponseHeaders().set("X-Frame-Options", "DENY");
        exchange.getResponseHeaders().set("Content-Security-Policy",
                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'");
        OperatorServer.write(exchange, status, contentType, body);
    }
}
