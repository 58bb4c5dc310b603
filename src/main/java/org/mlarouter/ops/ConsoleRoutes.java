package org.mlarouter.ops;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;

import org.mlarouter.json.Json;
import org.mlarouter.net.WebCall;
import org.mlarouter.net.WebServer;
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

    private static final Map<String, String> ASSETS = Map.of("console.js", "text/javascript; charset=utf-8", "console.css", "text/css; charset=utf-8");
    private static final String CSRF_HEADER = "X-CSRF-Token";
    /** Who may see the overview, statistics, coverage and dead letters: anyone signed in but an agency. */
    static final Role[] WATCHERS = {Role.VIEWER, Role.REVIEWER, Role.SUPERVISOR, Role.OPERATOR};
    /** The console's pages, beside {@code /} and {@code /requests/{id}}: a browser gets them without signing in first. */
    static final java.util.Set<String> PAGES = java.util.Set.of("/reviews", "/coverage", "/dead-letters", "/statistics");

    /** The sign-in form. */
    record SignIn(String user, String password) {
    }

    /** A reviewer's outcome from the console. */
    record ReviewForm(String decision, String legalBasis, String grounds, String kind) {
    }

    private final OperatorView view;
    private final OperatorSecurity security;
    private final SignIns signIns;
    private final ConsoleSessions sessions;
    private final String cookie;
    private final ConsoleMessages messages = new ConsoleMessages();

    ConsoleRoutes(final OperatorView view, final OperatorSecurity security, final SignIns signIns, final ConsoleSessions sessions) {
        this.view = view;
        this.security = security;
        this.signIns = signIns;
        this.sessions = sessions;
        this.cookie = security.tls().isPresent() ? ConsoleSessions.SECURE_COOKIE : ConsoleSessions.COOKIE;
    }

    /** Whether a browser asks for a page (HTML), not an API answer. */
    static boolean isPageRequest(final WebCall call) {
        return ("GET".equals(call.method()) || "HEAD".equals(call.method())) && call.header("Accept").map(accept -> accept.contains("text/html")).orElse(false);
    }

    /**
     * The signed-in reviewer of the call's session cookie, if it is current. A call that is the reviewer's doing (a
     * page, a form, a request's details) restarts the session's idle time; the console's polling does not.
     */
    Optional<Session> session(final WebCall call) {
        final boolean activity = !"GET".equals(call.method()) || isPageRequest(call) || call.path().startsWith("/console/api/details/");
        return call.cookie(cookie).flatMap(token -> sessions.of(token, activity));
    }

    /** Serves the console's page. */
    void page(final WebCall call) throws IOException {
        send(call, 200, "text/html; charset=utf-8", resource("console.html"));
    }

    /** Declares the routes under {@code /console/}. */
    void declare(final WebServer.Builder routes) {
        routes.get("/console/assets/{name}", call -> {
            final String name = call.pathParameter("name");
            if (ASSETS.containsKey(name)) {
                send(call, 200, ASSETS.get(name), resource(name));
            } else {
                json(call, OperatorView.Answer.error(404, "Not found"));
            }
        });
        routes.post("/console/signin", this::signIn);
        final ConsoleIssuerSignIn issuer = new ConsoleIssuerSignIn(security, signIns, sessions, cookie);
        routes.get("/console/oidc/start", issuer::start);
        routes.get("/console/oidc/callback", issuer::finish);
        routes.post("/console/signout", call -> {
            call.cookie(cookie).flatMap(sessions::signOut).ifPresent(user -> signIns.signedOut(user, call.remoteAddress()));
            call.addHeader("Set-Cookie", cookie + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (security.tls().isPresent() ? "; Secure" : ""));
            json(call, new OperatorView.Answer(200, Json.object()));
        });
        routes.get("/console/api/session", call -> {
            final Optional<Session> session = session(call);
            final com.fasterxml.jackson.databind.node.ObjectNode answer = Json.object().put("signInEnabled", !security.users().isEmpty())
                    .put("issuerSignIn", security.oidc().isPresent())
                    .put("user", session.map(Session::user).orElse(null)).put("csrfToken", session.map(Session::csrfToken).orElse(null));
            final com.fasterxml.jackson.databind.node.ArrayNode roles = answer.putArray("roles");
            session.ifPresent(signedIn -> java.util.Arrays.stream(Role.values()).filter(signedIn.identity().roles()::contains)
                    .forEach(role -> roles.add(role.label())));
            json(call, new OperatorView.Answer(200, answer));
        });
        routes.get("/console/api/overview", call -> json(call, refusal(call, WATCHERS).orElseGet(view::overview)));
        routes.get("/console/api/reviews", call -> json(call, refusal(call, Identity.READERS)
                .orElseGet(() -> RequestCalls.queue(call, view))));
        routes.get("/console/api/requests/{id}", call -> json(call, refusal(call, Identity.READERS)
                .orElseGet(() -> view.requestStatus(call.pathParameter("id"), call.flag("local")))));
        routes.get("/console/api/details/{id}", call -> {
            // The subjects only for those who decide: a reviewer or supervisor, signed in.
            final boolean subjects = identity(call).map(who -> who.mayAct(Identity.DECIDERS)).orElse(false) && call.flag("subjects");
            json(call, refusal(call, Identity.READERS).orElseGet(() -> view.pendingDetails(call.pathParameter("id"), subjects, call.flag("local"))));
        });
        // Open to everyone, as the page itself is: the texts hold nothing but the console's own words.
        routes.get("/console/api/messages", call -> json(call, new OperatorView.Answer(200,
                messages.answer(ConsoleMessages.language(call.cookie(ConsoleMessages.COOKIE), call.header("Accept-Language"))))));
        routes.get("/console/api/statistics", call -> json(call, refusal(call, WATCHERS).orElseGet(view::statistics)));
        routes.get("/console/api/statistics.csv", call -> {
            final String table = call.query("table").orElse("requests");
            final Optional<String> csv = refusal(call, WATCHERS).isPresent() ? Optional.empty() : view.statisticsCsv(table);
            csv.ifPresent(ignored -> call.header("Content-Disposition", "attachment; filename=\"mla-statistics-" + table + ".csv\""));
            csv.ifPresentOrElse(text -> send(call, 200, "text/csv; charset=utf-8", text), () -> json(call, refusal(call, WATCHERS)
                    .orElse(OperatorView.Answer.error(404, "No statistics table " + table + ": requests, times or overdue"))));
        });
        routes.get("/console/api/dead-letters", call -> json(call, refusal(call, WATCHERS).orElseGet(view::deadLetters)));
        routes.get("/console/api/coverage", call -> json(call, refusal(call, WATCHERS).orElseGet(view::coverage)));
        routes.get("/console/api/instruments/{state}", call -> json(call, refusal(call, Identity.READERS)
                .orElseGet(() -> view.instruments(call.pathParameter("state")))));
        routes.post("/console/api/reviews/{id}", call -> review(call, call.pathParameter("id")));
        TreatyRoutes.declareConsole(routes, view, this);
    }

    /** The identity of the call: its session, else its HTTP basic credentials. */
    private Optional<Identity> identity(final WebCall call) {
        return session(call).map(Session::identity).or(() -> OperatorSecurity.hasBearer(call.header("Authorization"))
                ? security.bearer(call.header("Authorization")) : signIns.basic(call).flatMap(SignIns.Attempt::identity));
    }

    /** Why the call may not have an answer (401 without an identity, 403 without one of {@code roles}); empty when it may. */
    Optional<OperatorView.Answer> refusal(final WebCall call, final Role... roles) {
        if (!security.signsIn()) {
            return Optional.empty();
        }
        final Optional<Identity> who = identity(call);
        if (who.isEmpty()) {
            return Optional.of(signInFirst());
        }
        return who.get().mayAct(roles) ? Optional.empty() : Optional.of(OperatorView.Answer.error(403, "The role of " + who.get().name()
                + " may not see this"));
    }

    private void signIn(final WebCall call) throws IOException {
        if (!sameOrigin(call)) {
            json(call, OperatorView.Answer.error(403, "Sign in from the console's own page"));
            return;
        }
        final SignIn form = call.bodyAs(SignIn.class).orElse(new SignIn("", ""));
        final String user = form.user() == null ? "" : form.user();
        if (security.users().isEmpty()) {
            json(call, OperatorView.Answer.error(401, "This router has no reviewers configured (mla.http.users.file): the console is read-only"));
            return;
        }
        final SignIns.Attempt attempt = signIns.check(user, form.password() == null ? "" : form.password(), call.remoteAddress(), "console");
        if (attempt.throttled()) {
            call.header("Retry-After", String.valueOf(SignIns.seconds(attempt.retryAfter().get())));
            json(call, OperatorView.Answer.error(429, "Too many failed sign-ins: try again in " + SignIns.seconds(attempt.retryAfter().get()) + " s"));
            return;
        }
        if (attempt.identity().isEmpty()) {
            json(call, OperatorView.Answer.error(401, "Unknown user or wrong password"));
            return;
        }
        final String token = sessions.signIn(attempt.identity().get());
        call.addHeader("Set-Cookie", cookie + "=" + token + "; Path=/; HttpOnly; SameSite=Strict" + (security.tls().isPresent() ? "; Secure" : ""));
        json(call, new OperatorView.Answer(200, Json.object().put("user", user)));
    }

    /**
     * The session of a form sent from the console by someone with one of {@code roles}: signed in, from this endpoint's page,
     * with the session's form token; else empty, the refusal answered ({@code who} says who may, e.g. "a reviewer or supervisor").
     */
    Optional<Session> form(final WebCall call, final Role[] roles, final String who) throws IOException {
        final Optional<Session> session = session(call);
        if (session.isEmpty() || !session.get().identity().mayAct(roles)) {
            json(call, OperatorView.Answer.error(session.isEmpty() ? 401 : 403, session.isEmpty() ? "Sign in as " + who + " to do this"
                    : "Only " + who + " may do this; " + session.get().user() + " may not"));
            return Optional.empty();
        }
        final Optional<String> token = call.header(CSRF_HEADER);
        if (!sameOrigin(call) || token.isEmpty() || !MessageDigest.isEqual(token.get().getBytes(StandardCharsets.UTF_8),
                session.get().csrfToken().getBytes(StandardCharsets.UTF_8))) {
            json(call, OperatorView.Answer.error(403, "The form is stale or did not come from the console: reload the page"));
            return Optional.empty();
        }
        return session;
    }

    private void review(final WebCall call, final String requestId) throws IOException {
        final Optional<Session> session = form(call, Identity.DECIDERS, "a reviewer or supervisor");
        if (session.isEmpty()) {
            return;
        }
        final ReviewForm form = call.bodyAs(ReviewForm.class).orElse(new ReviewForm("", "", "", null));
        final org.mlarouter.avro.OutcomeKind kind;
        try {
            kind = form.kind() == null || form.kind().isBlank() ? org.mlarouter.avro.OutcomeKind.DECISION
                    : org.mlarouter.avro.OutcomeKind.valueOf(form.kind());
        } catch (final IllegalArgumentException e) {
            json(call, OperatorView.Answer.error(422, "kind " + form.kind() + " is not DECISION, CONFIRMATION or RETURN"));
            return;
        }
        if (kind != org.mlarouter.avro.OutcomeKind.DECISION && !session.get().identity().mayAct(Role.SUPERVISOR)) {
            json(call, OperatorView.Answer.error(403, "Only a supervisor confirms or returns a proposal; " + session.get().user() + " is not one"));
            return;
        }
        json(call, view.review(requestId, kind, orEmpty(form.decision()), orEmpty(form.legalBasis()), session.get().user(),
                orEmpty(form.grounds())));
    }

    private static String orEmpty(final String text) {
        return text == null ? "" : text;
    }

    private static OperatorView.Answer signInFirst() {
        return OperatorView.Answer.error(401, "Sign in as a reviewer to see requests");
    }

    /** Whether a POST comes from a page of this endpoint: its Origin names the host it was sent to. */
    private static boolean sameOrigin(final WebCall call) {
        final Optional<String> origin = call.header("Origin");
        final Optional<String> host = call.header("Host");
        return origin.isPresent() && host.isPresent()
                && (origin.get().equals("http://" + host.get()) || origin.get().equals("https://" + host.get()));
    }

    private static String resource(final String name) throws IOException {
        try (InputStream in = ConsoleRoutes.class.getResourceAsStream("/console/" + name)) {
            if (in == null) {
                throw new IOException("The console's " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static void json(final WebCall call, final OperatorView.Answer answer) {
        call.header("Cache-Control", "no-store");
        headers(call);
        call.json(answer.status(), answer.json());
    }

    private static void send(final WebCall call, final int status, final String contentType, final String body) {
        headers(call);
        call.text(status, contentType, body);
    }

    private static void headers(final WebCall call) {
        call.header("X-Content-Type-Options", "nosniff");
        call.header("Referrer-Policy", "no-referrer");
        call.header("X-Frame-Options", "DENY");
        call.header("Content-Security-Policy",
                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'");
    }
}
