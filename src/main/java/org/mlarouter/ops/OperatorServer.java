package org.mlarouter.ops;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.apache.kafka.streams.KafkaStreams;
import org.mlarouter.net.HttpServers;
import org.mlarouter.net.Ports;

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
 * is one; 503 when DOWN.
 */
public final class OperatorServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<KafkaStreams.State> FAILED = EnumSet.of(KafkaStreams.State.ERROR, KafkaStreams.State.PENDING_ERROR);

    private final HttpServer server;
    private final ExecutorService executor;

    private final boolean tls;

    private OperatorServer(final HttpServer server, final ExecutorService executor, final boolean tls) {
        this.server = server;
        this.executor = executor;
        this.tls = tls;
    }

    /** Starts the endpoint over fixed answers (tests): state, problem, metrics and topology, no request queries. */
    public static OperatorServer start(final String host, final int port, final Supplier<KafkaStreams.State> state,
                                       final Supplier<Optional<String>> problem, final Supplier<String> metrics,
                                       final String topology) throws IOException {
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

    /** Starts the endpoint over a view of the router, unprotected. */
    public static OperatorServer start(final String host, final int port, final OperatorView view) throws IOException {
        return start(host, port, view, OperatorSecurity.NONE);
    }

    /** Starts the endpoint over a view of the router, with TLS and authentication as {@code security} says. */
    public static OperatorServer start(final String host, final int port, final OperatorView view, final OperatorSecurity security)
            throws IOException {
        Ports.requireFree(host, port, "Operator HTTP endpoint");
        final InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(host), port);
        final HttpServer server;
        HttpServers.configure();
        if (security.tls().isPresent()) {
            final HttpsServer https = HttpsServer.create(address, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(security.tls().get()));
            server = https;
        } else {
            server = HttpServer.create(address, 0);
        }
        final ExecutorService executor = Executors.newFixedThreadPool(4, runnable -> {
            final Thread thread = new Thread(runnable, "operator-http");
            thread.setDaemon(true);
            return thread;
        });
        final List<HttpContext> contexts = new ArrayList<>();
        contexts.add(server.createContext("/metrics", exchange -> send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", view.metrics())));
        contexts.add(server.createContext("/health/live", exchange -> health(exchange, view.state(), Optional.empty(), !FAILED.contains(view.state()))));
        contexts.add(server.createContext("/health/ready", exchange -> {
            final Optional<String> now = view.problem();
            health(exchange, view.state(), now, view.state() == KafkaStreams.State.RUNNING && now.isEmpty());
        }));
        contexts.add(server.createContext("/topology", exchange -> send(exchange, 200, "text/plain; charset=utf-8", view.topology())));
        final ConsoleRoutes console = new ConsoleRoutes(view, security);
        contexts.add(server.createContext("/requests/", exchange -> {
            if (ConsoleRoutes.isPageRequest(exchange)) {
                console.page(exchange);
                return;
            }
            final String requestId = URLDecoder.decode(exchange.getRequestURI().getRawPath().substring("/requests/".length()),
                    StandardCharsets.UTF_8);
            answer(exchange, requestId.isBlank() ? OperatorView.Answer.error(404, "No request id given")
                    : view.requestStatus(requestId, isLocal(exchange)));
        }));
        contexts.add(server.createContext("/reviews", exchange -> {
            if (ConsoleRoutes.isPageRequest(exchange)) {
                console.page(exchange);
            } else {
                answer(exchange, view.pendingReviews(isLocal(exchange)));
            }
        }));
        server.createContext("/console/", console::handle);
        contexts.add(server.createContext("/", exchange -> {
            if (exchange.getRequestURI().getRawPath().equals("/") && "GET".equals(exchange.getRequestMethod())) {
                console.page(exchange);
            } else {
                send(exchange, 404, "text/plain; charset=utf-8",
                        "Not found. Endpoints: / (the console) /metrics /health/live /health/ready /topology /requests/{id} /reviews\n");
            }
        }));
        for (final HttpContext context : contexts) {
            final String path = context.getPath();
            if (security.protects(path.equals("/") ? "/other" : path)) {
                final boolean consolePage = path.equals("/") || path.equals("/requests/") || path.equals("/reviews");
                context.setAuthenticator(consolePage ? console.authenticator() : security.authenticator());
            }
        }
        server.setExecutor(executor);
        server.start();
        return new OperatorServer(server, executor, security.tls().isPresent());
    }

    /** Whether another instance asks for this one's own answer ({@code ?local=true}). */
    static boolean isLocal(final HttpExchange exchange) {
        final String query = exchange.getRequestURI().getQuery();
        return query != null && query.contains("local=true");
    }

    private static void answer(final HttpExchange exchange, final OperatorView.Answer answer) throws IOException {
        send(exchange, answer.status(), "application/json", answer.json() + "\n");
    }

    /** The base URL, e.g. {@code http://127.0.0.1:8080}. */
    public URI url() {
        final InetSocketAddress address = server.getAddress();
        return URI.create((tls ? "https://" : "http://") + address.getAddress().getHostAddress() + ":" + address.getPort());
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private static void health(final HttpExchange exchange, final KafkaStreams.State state, final Optional<String> problem,
                               final boolean up) throws IOException {
        final ObjectNode body = JSON.createObjectNode().put("status", up ? "UP" : "DOWN").put("state", String.valueOf(state));
        problem.ifPresent(text -> body.put("problem", text));
        send(exchange, up ? 200 : 503, "application/json", body + "\n");
    }

    private static void send(final HttpExchange exchange, final int status, final String contentType, final String body) throws IOException {
        if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
            try (exchange) {
                exchange.sendResponseHeaders(405, -1);
            }
            return;
        }
        write(exchange, status, contentType, body);
    }

    /** Answers {@code body} (none to a HEAD) with this status and content type, and closes the exchange. */
    static void write(final HttpExchange exchange, final int status, final String contentType, final String body) throws IOException {
        try (exchange) {
            final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(status, "HEAD".equals(exchange.getRequestMethod()) ? -1 : bytes.length);
            if (!"HEAD".equals(exchange.getRequestMethod())) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }
}
