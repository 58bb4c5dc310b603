package org.mlarouter.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.mlarouter.net.HttpServers;
import org.mlarouter.serde.InMemorySchemaRegistry;
import org.mlarouter.serde.SchemaRegistryException;

/**
 * An embedded Schema Registry: the part of the Confluent Schema Registry REST API that serializers, their users and
 * agencies' clients call ({@link RegistryApi}; docs/schema-registry.md lists it), over an {@link InMemorySchemaRegistry},
 * so Confluent's own clients (Java, Python, Go, .NET, JavaScript) work against it. Errors answer with Confluent's
 * {@code {"error_code": …, "message": …}} bodies; 500 / 50001 only for a fault of the server itself. Schemas are held in
 * memory; the embedded stack gives it a journal ({@link SchemaJournal}), which records every change to a file and replays
 * it at start, so subjects, versions, ids and compatibility levels survive restarts. Binds to loopback unless told otherwise.
 */
public final class SchemaRegistryServer implements AutoCloseable {

    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final InMemorySchemaRegistry registry;
    private final RegistryApi api;
    private final HttpServer server;
    private final ExecutorService executor;

    private SchemaRegistryServer(final InMemorySchemaRegistry registry, final HttpServer server, final ExecutorService executor) {
        this.registry = registry;
        this.api = new RegistryApi(registry);
        this.server = server;
        this.executor = executor;
    }

    /**
     * Starts a server.
     *
     * @param address where to listen; port 0 picks a free one
     * @throws IOException if the address cannot be bound (the port is in use, say)
     */
    public static SchemaRegistryServer start(final InetSocketAddress address, final InMemorySchemaRegistry registry) throws IOException {
        HttpServers.configure();
        final HttpServer server = HttpServer.create(address, 0);
        final ExecutorService executor = Executors.newFixedThreadPool(4, runnable -> {
            final Thread thread = new Thread(runnable, "schema-registry-http");
            thread.setDaemon(true);
            return thread;
        });
        final SchemaRegistryServer registryServer = new SchemaRegistryServer(registry, server, executor);
        server.createContext("/", registryServer::handle);
        server.setExecutor(executor);
        server.start();
        return registryServer;
    }

    /** The base URL clients use, e.g. {@code http://127.0.0.1:8081}. */
    public URI url() {
        final InetSocketAddress address = server.getAddress();
        return URI.create("http://" + address.getAddress().getHostAddress() + ":" + address.getPort());
    }

    public InMemorySchemaRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(final HttpExchange exchange) throws IOException {
        try (exchange) {
            final String method = exchange.getRequestMethod();
            final List<String> path = segments(exchange.getRequestURI());
            try {
                final JsonNode answer = api.handle(method, path, query(exchange.getRequestURI()), exchange.getRequestBody());
                send(exchange, 200, answer);
            } catch (final SchemaRegistryException e) {
                final ObjectNode error = MAPPER.createObjectNode();
                error.put("error_code", e.errorCode());
                error.put("message", e.getMessage());
                send(exchange, e.status(), error);
            } catch (final RuntimeException e) {
                final ObjectNode error = MAPPER.createObjectNode();
                error.put("error_code", 50001);
                error.put("message", "Error in the embedded Schema Registry: " + e);
                send(exchange, 500, error);
            }
        }
    }

    private static Map<String, String> query(final URI uri) {
        final Map<String, String> parameters = new HashMap<>();
        final String raw = uri.getRawQuery();
        if (raw != null) {
            for (final String pair : raw.split("&")) {
                final int equals = pair.indexOf('=');
                parameters.put(URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8),
                        equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return parameters;
    }

    private static List<String> segments(final URI uri) {
        final String rawPath = uri.getRawPath() == null ? "" : uri.getRawPath();
        return java.util.Arrays.stream(rawPath.split("/"))
                .filter(segment -> !segment.isEmpty())
                .map(segment -> URLDecoder.decode(segment, StandardCharsets.UTF_8))
                .collect(Collectors.toList());
    }

    private static void send(final HttpExchange exchange, final int status, final JsonNode body) throws IOException {
        final byte[] bytes = MAPPER.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
