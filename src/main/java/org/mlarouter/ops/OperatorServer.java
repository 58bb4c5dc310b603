package org.mlarouter.ops;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.kafka.streams.KafkaStreams;
import org.mlarouter.embedded.Ports;

/**
 * The operator HTTP endpoint:
 * <ul>
 *   <li>{@code GET /metrics}: every metric in the Prometheus text format</li>
 *   <li>{@code GET /health/live}: 200 while the streams client has not failed (state not ERROR or PENDING_ERROR)</li>
 *   <li>{@code GET /health/ready}: 200 only while the streams client is RUNNING</li>
 *   <li>{@code GET /topology}: the topology description</li>
 * </ul>
 * Health answers are JSON {@code {"status": "UP"|"DOWN", "state": "<streams state>"}}; 503 when DOWN.
 */
public final class OperatorServer implements AutoCloseable {

    private static final Set<KafkaStreams.State> FAILED = EnumSet.of(KafkaStreams.State.ERROR, KafkaStreams.State.PENDING_ERROR);

    private final HttpServer server;
    private final ExecutorService executor;

    private OperatorServer(final HttpServer server, final ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Starts the endpoint.
     *
     * @param state    the streams client's current state
     * @param metrics  the Prometheus exposition
     * @param topology the topology description
     */
    public static OperatorServer start(final String host, final int port, final Supplier<KafkaStreams.State> state,
                                       final Supplier<String> metrics, final String topology) throws IOException {
        Ports.requireFree(host, port, "Operator HTTP endpoint");
        final HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(host), port), 0);
        final ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
            final Thread thread = new Thread(runnable, "operator-http");
            thread.setDaemon(true);
            return thread;
        });
        server.createContext("/metrics", exchange -> send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.get()));
        server.createContext("/health/live", exchange -> health(exchange, state.get(), !FAILED.contains(state.get())));
        server.createContext("/health/ready", exchange -> health(exchange, state.get(), state.get() == KafkaStreams.State.RUNNING));
        server.createContext("/topology", exchange -> send(exchange, 200, "text/plain; charset=utf-8", topology));
        server.createContext("/", exchange -> send(exchange, 404, "text/plain; charset=utf-8",
                "Not found. Endpoints: /metrics /health/live /health/ready /topology\n"));
        server.setExecutor(executor);
        server.start();
        return new OperatorServer(server, executor);
    }

    /** The base URL, e.g. {@code http://127.0.0.1:8080}. */
    public URI url() {
        final InetSocketAddress address = server.getAddress();
        return URI.create("http://" + address.getAddress().getHostAddress() + ":" + address.getPort());
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private static void health(final HttpExchange exchange, final KafkaStreams.State state, final boolean up) throws IOException {
        send(exchange, up ? 200 : 503, "application/json", "{\"status\":\"" + (up ? "UP" : "DOWN") + "\",\"state\":\"" + state + "\"}\n");
    }

    private static void send(final HttpExchange exchange, final int status, final String contentType, final String body) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
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
