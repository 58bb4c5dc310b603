package org.mlarouter.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.avro.Schema;
import org.mlarouter.serde.CompatibilityLevel;
import org.mlarouter.serde.InMemorySchemaRegistry;
import org.mlarouter.serde.RegisteredSchema;
import org.mlarouter.serde.SchemaRegistryException;

/**
 * An embedded Schema Registry: the part of the Confluent Schema Registry REST API that serializers and their users
 * call, over an {@link InMemorySchemaRegistry}, so Confluent's own clients (Java, Python, Go, .NET) work against it.
 *
 * <ul>
 *   <li>{@code POST /subjects/{subject}/versions} register; {@code POST /subjects/{subject}} look up a schema</li>
 *   <li>{@code GET /schemas/ids/{id}}, {@code GET /schemas/ids/{id}/versions}, {@code GET /schemas/types}</li>
 *   <li>{@code GET /subjects}, {@code GET /subjects/{subject}/versions}, {@code GET /subjects/{subject}/versions/{version|latest}}
 *       and {@code .../schema}</li>
 *   <li>{@code POST /compatibility/subjects/{subject}/versions/{version|latest}}</li>
 *   <li>{@code GET|PUT /config} and {@code GET|PUT /config/{subject}} (compatibility level, BACKWARD by default)</li>
 * </ul>
 * Errors answer with Confluent's {@code {"error_code": …, "message": …}} bodies. Schemas are held in memory; the
 * embedded stack gives it a {@link org.mlarouter.registry.SchemaJournal}, which writes every registration to a file
 * and replays it at start, so subjects, versions and ids survive restarts. Binds to loopback unless told otherwise.
 */
public final class SchemaRegistryServer implements AutoCloseable {

    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final InMemorySchemaRegistry registry;
    private final HttpServer server;
    private final ExecutorService executor;

    private SchemaRegistryServer(final InMemorySchemaRegistry registry, final HttpServer server, final ExecutorService executor) {
        this.registry = registry;
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
                final JsonNode answer = route(method, path, exchange.getRequestBody());
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

    private JsonNode route(final String method, final List<String> path, final InputStream body) throws IOException {
        final int size = path.size();
        if (size == 0 && "GET".equals(method)) {
            return MAPPER.createObjectNode();
        }
        final String first = path.isEmpty() ? "" : path.get(0);
        switch (first) {
            case "subjects":
                if (size == 1 && "GET".equals(method)) {
                    return strings(registry.subjects());
                }
                if (size == 2 && "POST".equals(method)) {
                    final RegisteredSchema found = registry.lookup(path.get(1), schemaOf(body))
                            .orElseThrow(() -> notFoundUnder(path.get(1)));
                    return version(found);
                }
                if (size == 3 && "versions".equals(path.get(2)) && "POST".equals(method)) {
                    final ObjectNode answer = MAPPER.createObjectNode();
                    answer.put("id", registry.registerVersion(path.get(1), schemaOf(body)).id());
                    return answer;
                }
                if (size == 3 && "versions".equals(path.get(2)) && "GET".equals(method)) {
                    final ArrayNode versions = MAPPER.createArrayNode();
                    registry.versions(path.get(1)).forEach(version -> versions.add(version.version()));
                    return versions;
                }
                if (size == 4 && "versions".equals(path.get(2)) && "GET".equals(method)) {
                    return version(registry.version(path.get(1), versionNumber(path.get(3))));
                }
                if (size == 5 && "versions".equals(path.get(2)) && "schema".equals(path.get(4)) && "GET".equals(method)) {
                    return MAPPER.readTree(registry.version(path.get(1), versionNumber(path.get(3))).schema().toString());
                }
                break;
            case "schemas":
                if (size == 2 && "types".equals(path.get(1)) && "GET".equals(method)) {
                    return strings(List.of("AVRO"));
                }
                if (size >= 3 && "ids".equals(path.get(1)) && "GET".equals(method)) {
                    final int id = intOf(path.get(2), SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema " + path.get(2) + " not found");
                    if (size == 3) {
                        final ObjectNode answer = MAPPER.createObjectNode();
                        answer.put("schema", registry.schemaById(id).toString());
                        return answer;
                    }
                    if (size == 4 && "versions".equals(path.get(3))) {
                        final ArrayNode uses = MAPPER.createArrayNode();
                        registry.usesOf(id).forEach(use -> uses.addObject().put("subject", use.subject()).put("version", use.version()));
                        return uses;
                    }
                }
                break;
            case "compatibility":
                if (size == 5 && "subjects".equals(path.get(1)) && "versions".equals(path.get(3)) && "POST".equals(method)) {
                    final Schema candidate = schemaOf(body);
                    final String subject = path.get(2);
                    final int against = versionNumber(path.get(4));
                    if (registry.subjects().contains(subject)) {
                        registry.version(subject, against);
                    }
                    final List<String> problems = registry.compatibilityProblems(subject, candidate, against);
                    final ObjectNode answer = MAPPER.createObjectNode();
                    answer.put("is_compatible", problems.isEmpty());
                    if (!problems.isEmpty()) {
                        answer.set("messages", strings(problems));
                    }
                    return answer;
                }
                break;
            case "config":
                return config(method, path, body);
            default:
                break;
        }
        throw new SchemaRegistryException(404, 404, "HTTP 404 Not Found: " + method + " /" + String.join("/", path)
                + " is not part of the embedded Schema Registry's API");
    }

    private JsonNode config(final String method, final List<String> path, final InputStream body) throws IOException {
        final ObjectNode answer = MAPPER.createObjectNode();
        if ("GET".equals(method) && path.size() <= 2) {
            answer.put("compatibilityLevel", (path.size() == 1 ? registry.globalCompatibility() : registry.compatibility(path.get(1))).name());
            return answer;
        }
        if ("PUT".equals(method) && path.size() <= 2) {
            final JsonNode request = MAPPER.readTree(body);
            final String level = request == null ? "" : request.path("compatibility").asText("");
            final CompatibilityLevel parsed;
            try {
                parsed = CompatibilityLevel.valueOf(level);
            } catch (final IllegalArgumentException e) {
                throw new SchemaRegistryException(422, SchemaRegistryException.INVALID_COMPATIBILITY_LEVEL, "Invalid compatibility level: " + level);
            }
            if (path.size() == 1) {
                registry.setGlobalCompatibility(parsed);
            } else {
                registry.setCompatibility(path.get(1), parsed);
            }
            answer.put("compatibility", parsed.name());
            return answer;
        }
        throw new SchemaRegistryException(405, 405, "HTTP 405 Method Not Allowed");
    }

    private static Schema schemaOf(final InputStream body) throws IOException {
        final JsonNode request;
        try {
            request = MAPPER.readTree(body);
        } catch (final IOException e) {
            throw new SchemaRegistryException(422, SchemaRegistryException.INVALID_SCHEMA, "Request body is not JSON: " + e.getMessage());
        }
        if (request == null || !request.path("schema").isTextual()) {
            throw new SchemaRegistryException(422, SchemaRegistryException.INVALID_SCHEMA, "Request body must be {\"schema\": \"...\"}");
        }
        final String type = request.path("schemaType").asText("AVRO");
        if (!"AVRO".equals(type)) {
            throw new SchemaRegistryException(422, SchemaRegistryException.INVALID_SCHEMA, "Only AVRO schemas are supported, not " + type);
        }
        return InMemorySchemaRegistry.parse(request.path("schema").textValue());
    }

    private SchemaRegistryException notFoundUnder(final String subject) {
        return registry.subjects().contains(subject)
                ? new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema not found")
                : new SchemaRegistryException(404, SchemaRegistryException.SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.");
    }

    private static ObjectNode version(final RegisteredSchema version) {
        final ObjectNode answer = MAPPER.createObjectNode();
        answer.put("subject", version.subject());
        answer.put("version", version.version());
        answer.put("id", version.id());
        answer.put("schema", version.schema().toString());
        return answer;
    }

    private static int versionNumber(final String text) {
        if ("latest".equals(text) || "-1".equals(text)) {
            return -1;
        }
        return intOf(text, SchemaRegistryException.INVALID_VERSION, "The specified version '" + text + "' is not a valid version id.");
    }

    private static int intOf(final String text, final int errorCode, final String message) {
        try {
            return Integer.parseInt(text);
        } catch (final NumberFormatException e) {
            throw new SchemaRegistryException(errorCode == SchemaRegistryException.INVALID_VERSION ? 422 : 404, errorCode, message);
        }
    }

    private static ArrayNode strings(final List<String> values) {
        final ArrayNode array = MAPPER.createArrayNode();
        values.forEach(array::add);
        return array;
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
