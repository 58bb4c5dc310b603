package org.mlarouter.ops;

import java.net.URI;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.apache.kafka.streams.KafkaStreams;
import org.mlarouter.avro.OutcomeKind;
import org.mlarouter.net.WebCall;
import org.mlarouter.net.WebServer;

/**
 * The operator HTTP endpoint:
 * <ul>
 *   <li>{@code GET /metrics}: every metric in the Prometheus text format</li>
 *   <li>{@code GET /health/live}: 200 while the streams client has not failed (state not ERROR or PENDING_ERROR)</li>
 *   <li>{@code GET /health/ready}: 200 only while the streams client is RUNNING and nothing keeps the treaty coverage
 *       from being current (a Schema Registry that cannot be reached)</li>
 *   <li>{@code GET /topology}: the topology description</li>
 *   <li>{@code GET /requests/{id}}: where a request stands (docs/contract.md), asked of the instance that holds it;
 *       404 with a JSON error for an id the router has not decided</li>
 *   <li>{@code GET /reviews}: the requests pending review, oldest first, of every instance</li>
 *   <li>{@code GET /}, and {@code /reviews} and {@code /requests/{id}} asked for HTML: the web console
 *       ({@link ConsoleRoutes}), with its API under {@code /console/}</li>
 * </ul>
 * Health answers are JSON {@code {"status": "UP"|"DOWN", "state": "<streams state>"}}, with {@code "problem"} when there
 * is one; 503 when DOWN. Served by {@link WebServer}: a client that never finishes its request holds no thread.
 */
public final class OperatorServer implements AutoCloseable {

    private static final Set<KafkaStreams.State> FAILED = EnumSet.of(KafkaStreams.State.ERROR, KafkaStreams.State.PENDING_ERROR);
    private static final String ENDPOINTS = "Not found. Endpoints: / (the console) /metrics /health/live /health/ready /topology /requests/{id} /reviews"
            + " POST /api/requests/{id}/review|confirm|return\n";

    /** A health answer. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Health(String status, String state, String problem) {
    }

    private final WebServer server;

    private OperatorServer(final WebServer server) {
        this.server = server;
    }

    /** Starts the endpoint over fixed answers (tests): state, problem, metrics and topology, no request queries. */
    public static OperatorServer start(final String host, final int port, final Supplier<KafkaStreams.State> state,
                                       final Supplier<Optional<String>> problem, final Supplier<String> metrics,
                                       final String topology) {
        return start(host, port, new OperatorView() {
            @Override
            public KafkaStreams.State state() {
                return state.get();
            }

            @Override
            public Optional<String> problem() {
                return problem.get();
            }

            @Override
            public String metrics() {
                return metrics.get();
            }

            @Override
            public String topology() {
                return topology;
            }
        });
    }

    /**
     * Starts a second endpoint on loopback that serves {@code /metrics} only, without sign-in: for a Prometheus on the
     * same machine when the operator endpoint asks for users ({@code mla.http.metrics.port}).
     */
    public static OperatorServer startMetricsOnly(final int port, final OperatorView view) {
        return new OperatorServer(WebServer.builder("metrics-http", "Metrics HTTP endpoint").bind("127.0.0.1", port)
                .get("/metrics", call -> call.text(200, "text/plain; version=0.0.4; charset=utf-8", view.metrics()))
                .notFound(call -> call.text(404, "text/plain; charset=utf-8", "This endpoint serves /metrics only\n"))
                .start());
    }

    /** Starts the endpoint over a view of the router, unprotected. */
    public static OperatorServer start(final String host, final int port, final OperatorView view) {
        return start(host, port, view, OperatorSecurity.NONE);
    }

    /** Starts the endpoint over a view of the router, with TLS and authentication as {@code security} says. */
    public static OperatorServer start(final String host, final int port, final OperatorView view, final OperatorSecurity security) {
        final SignIns signIns = new SignIns(security, java.time.Clock.systemUTC());
        final ConsoleSessions sessions = new ConsoleSessions(java.time.Clock.systemUTC());
        final ApiSessions apiSessions = new ApiSessions(sessions, signIns, java.time.Clock.systemUTC());
        final ConsoleRoutes console = new ConsoleRoutes(view, security, signIns, sessions);
        final WebServer.Builder routes = WebServer.builder("operator-http", "Operator HTTP endpoint").bind(host, port).tls(security.tls())
                .guard(call -> admit(call, security, signIns, console, apiSessions))
                .get("/metrics", call -> call.text(200, "text/plain; version=0.0.4; charset=utf-8", view.metrics()))
                .get("/health/live", call -> health(call, view.state(), Optional.empty(), !FAILED.contains(view.state())))
                .get("/health/ready", call -> {
                    final Optional<String> now = view.problem();
                    health(call, view.state(), now, view.state() == KafkaStreams.State.RUNNING && now.isEmpty());
                })
                .get("/topology", call -> call.text(200, "text/plain; charset=utf-8", view.topology()))
                .get("/requests/{id}", call -> {
                    if (ConsoleRoutes.isPageRequest(call)) {
                        console.page(call);
                    } else {
                        answer(call, forCaller(call, view.requestStatus(call.pathParameter("id"), call.flag("local"))));
                    }
                })
                .get("/reviews", call -> {
                    if (ConsoleRoutes.isPageRequest(call)) {
                        console.page(call);
                    } else {
                        answer(call, RequestCalls.queue(call, view));
                    }
                })
                .get("/api/openapi.json", call -> call.text(200, "application/json; charset=utf-8", RequestCalls.openApi()))
                .post("/api/sessions", call -> answer(call, call.attribute(IDENTITY, Identity.class)
                        .map(who -> apiSessions.open(call, who))
                        .orElseGet(() -> OperatorView.Answer.error(401, "This router has no users or issuer configured: there is nobody to sign in as"))))
                .post("/api/sessions/end", call -> answer(call, apiSessions.end(call)))
                .post("/api/requests", call -> {
                    final OperatorView.Answer answer = RequestCalls.intake(call, view, call.attribute(IDENTITY, Identity.class));
                    if (answer.status() == 503) {
                        call.header("Retry-After", String.valueOf(answer.json().path("retryAfterSeconds").asInt(5)));
                    }
                    answer(call, answer);
                })
                .post("/api/dead-letters/replay", call -> answer(call, RequestCalls.replay(call, view, call.attribute(IDENTITY, Identity.class))))
                .post("/api/requests/{id}/erase", call -> answer(call, call.attribute(IDENTITY, Identity.class)
                        .map(who -> view.erase(call.pathParameter("id"), who.name()))
                        .orElseGet(() -> OperatorView.Answer.error(401, "Erasing needs a signed-in supervisor"))))
                .post("/api/requests/{id}/review", call -> outcome(call, view, security, OutcomeKind.DECISION))
                .post("/api/requests/{id}/confirm", call -> outcome(call, view, security, OutcomeKind.CONFIRMATION))
                .post("/api/requests/{id}/return", call -> outcome(call, view, security, OutcomeKind.RETURN))
                .get("/", console::page)
                .get("/coverage", console::page)
                .get("/dead-letters", console::page)
                .get("/statistics", console::page)
                .notFound(call -> {
                    if (call.path().startsWith("/console/")) {
                        ConsoleRoutes.json(call, OperatorView.Answer.error(404, "Not found"));
                    } else {
                        call.text(404, "text/plain; charset=utf-8", ENDPOINTS);
                    }
                });
        console.declare(routes);
        TreatyRoutes.declare(routes, view, call -> call.attribute(IDENTITY, Identity.class));
        return new OperatorServer(routes.start());
    }

    /**
     * Lets a call on unless it needs an identity it lacks (401; 429 while its name or address must wait) or a role it
     * lacks (403). With users, every path but the health checks needs one: {@code /metrics} and {@code /topology} the
     * operator's role, the requests and the queue a viewer's, reviewer's or supervisor's. The console's pages hold no
     * data and its API checks roles itself.
     */
    private static boolean admit(final WebCall call, final OperatorSecurity security, final SignIns signIns, final ConsoleRoutes console,
                                 final ApiSessions apiSessions) {
        final String path = call.path();
        if (path.startsWith("/console/") || !security.protects(path)) {
            return true;
        }
        final boolean consolePage = path.equals("/") || path.startsWith("/requests/") || ConsoleRoutes.PAGES.contains(path);
        if (consolePage && ConsoleRoutes.isPageRequest(call)) {
            return true;
        }
        // The API takes credentials in the Authorization header only, never the console's cookie (no cross-site forgery).
        Optional<Identity> who = apiSessions.identity(call);
        if (who.isEmpty() && !path.startsWith("/api/")) {
            who = console.session(call).map(ConsoleSessions.Session::identity);
        }
        if (who.isEmpty() && ApiSessions.token(call).isPresent()) {
            WebServer.error(call, 401, "The session has ended: sign in again (mla-router login)");
            return false;
        }
        if (who.isEmpty() && OperatorSecurity.hasBearer(call.header("Authorization"))) {
            who = security.bearer(call.header("Authorization"));
        } else if (who.isEmpty()) {
            final Optional<SignIns.Attempt> basic = signIns.basic(call);
            if (basic.isPresent() && basic.get().throttled()) {
                final long seconds = SignIns.seconds(basic.get().retryAfter().get());
                call.header("Retry-After", String.valueOf(seconds));
                WebServer.error(call, 429, "Too many failed sign-ins: try again in " + seconds + " s");
                return false;
            }
            who = basic.flatMap(SignIns.Attempt::identity);
        }
        if (who.isEmpty()) {
            if (!security.users().isEmpty()) {
                call.addHeader("WWW-Authenticate", "Basic realm=\"mla-router\", charset=\"UTF-8\"");
            }
            if (security.oidc().isPresent()) {
                call.addHeader("WWW-Authenticate", "Bearer realm=\"mla-router\"");
            }
            WebServer.error(call, 401, "Authentication required");
            return false;
        }
        final Role[] allowed = rolesFor(path);
        if (!who.get().mayAct(allowed)) {
            WebServer.error(call, 403, "The role of " + who.get().name() + " may not use " + path);
            return false;
        }
        call.attribute(IDENTITY, who.get());
        return true;
    }

    /** The body of {@code POST /api/requests/{id}/review}, {@code /confirm} and {@code /return}; a reviewer or time in it is ignored. */
    @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
    record OutcomeBody(String decision, String grounds, String legalBasis) {
    }

    /**
     * A signed-in person's outcome: the reviewer is the identity's staff id, the time the router's (docs/contract.md,
     * "Outcomes come from signed-in people only"). Without users or an issuer there is nobody to name: 401.
     */
    private static void outcome(final WebCall call, final OperatorView view, final OperatorSecurity security, final OutcomeKind kind)
            throws java.io.IOException {
        final Optional<Identity> who = call.attribute(IDENTITY, Identity.class);
        if (who.isEmpty()) {
            answer(call, OperatorView.Answer.error(401, security.signsIn() ? "Authentication required"
                    : "This router has no users or issuer configured (mla.http.users.file, mla.http.oidc.issuer): an outcome needs"
                            + " a signed-in reviewer"));
            return;
        }
        // A body that is not JSON is an outcome of blank fields: 422 INVALID_OUTCOME names the first.
        final OutcomeBody body = call.bodyAs(OutcomeBody.class).orElse(new OutcomeBody(null, null, null));
        answer(call, view.review(call.pathParameter("id"), kind, body.decision(), body.legalBasis(), who.get().name(), body.grounds()));
    }

    /**
     * A request's status as the caller may see it: whole for the central authority's readers; for an agency, only a
     * request its own authority sent, any other answered as unknown (404), so an agency learns nothing of the others.
     */
    private static OperatorView.Answer forCaller(final WebCall call, final OperatorView.Answer status) {
        final Optional<Identity> who = call.attribute(IDENTITY, Identity.class);
        if (who.isEmpty() || !who.get().agencyOnly() || status.status() != 200) {
            return status;
        }
        final String sentBy = status.json().path("requestingAuthority").asText(null);
        if (sentBy != null && who.get().authority().filter(sentBy::equals).isPresent()) {
            return status;
        }
        return OperatorView.Answer.error(404, "No request " + status.json().path("requestId").asText() + " has been decided");
    }

    /** The call attribute holding the identity a guard admitted. */
    private static final String IDENTITY = "mla.identity";

    /** The routes this endpoint declared, each {@code "METHOD /path/{param}"}. */
    public java.util.List<String> routes() {
        return server.routes();
    }

    /** The roles that may use a path of the endpoint (docs/contract.md, "People and roles"). */
    static Role[] rolesFor(final String path) {
        if (path.equals("/metrics") || path.equals("/topology") || path.equals("/api/dead-letters/replay")) {
            return new Role[] {Role.OPERATOR};
        }
        if (path.startsWith("/api/requests/") && path.endsWith("/review")) {
            return Identity.DECIDERS;
        }
        if (path.equals("/reviews") || path.equals("/api/treaties/proposals") || path.equals("/api/treaties/history")) {
            return Identity.READERS;
        }
        if (path.startsWith("/api/requests/") && (path.endsWith("/confirm") || path.endsWith("/return") || path.endsWith("/erase"))
                || path.equals("/api/treaties") || path.startsWith("/api/treaties/")) {
            return new Role[] {Role.SUPERVISOR};
        }
        if (path.startsWith("/requests/")) {
            return new Role[] {Role.VIEWER, Role.REVIEWER, Role.SUPERVISOR, Role.AGENCY};
        }
        if (path.equals("/api/requests")) {
            return new Role[] {Role.AGENCY};
        }
        return Role.values();
    }

    private static void answer(final WebCall call, final OperatorView.Answer answer) {
        call.json(answer.status(), answer.json());
    }

    /** The base URL, e.g. {@code http://127.0.0.1:8080}. */
    public URI url() {
        return server.url();
    }

    @Override
    public void close() {
        server.close();
    }

    private static void health(final WebCall call, final KafkaStreams.State state, final Optional<String> problem, final boolean up) {
        call.json(up ? 200 : 503, new Health(up ? "UP" : "DOWN", String.valueOf(state), problem.orElse(null)));
    }
}
