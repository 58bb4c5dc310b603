package org.mlarouter.registry;

import java.net.InetSocketAddress;
import java.net.URI;

import org.mlarouter.json.Json;
import org.mlarouter.net.WebCall;
import org.mlarouter.net.WebServer;
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
    /** The largest body taken: a schema with its references, far above any the router's contract needs. */
    private static final long MAX_BODY = 8L * 1024 * 1024;

    private final InMemorySchemaRegistry registry;
    private final WebServer server;

    private SchemaRegistryServer(final InMemorySchemaRegistry registry, final WebServer server) {
        this.registry = registry;
        this.server = server;
    }

    /**
     * Starts a server.
     *
     * @param address where to listen; port 0 picks a free one
     * @throws org.mlarouter.net.Ports.PortInUseException if the address cannot be bound (the port is in use, say)
     */
    public static SchemaRegistryServer start(final InetSocketAddress address, final InMemorySchemaRegistry registry) {
        final WebServer.Builder routes = WebServer.builder("schema-registry-http", "Schema Registry").bind(address.getAddress().getHostAddress(), address.getPort())
                .maxBody(MAX_BODY)
                .notFound(call -> send(call, 404, error(404, "HTTP 404 Not Found")))
                .failure(SchemaRegistryServer::failed);
        new RegistryApi(registry).declare(routes, (call, body) -> send(call, 200, body));
        return new SchemaRegistryServer(registry, routes.start());
    }

    /** The base URL clients use, e.g. {@code http://127.0.0.1:8081}. */
    public URI url() {
        return server.url();
    }

    public InMemorySchemaRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        server.close();
    }

    /** Confluent's error answers: the registry's own codes, 404/405 as its REST layer words them, 50001 for a fault here. */
    private static void failed(final WebCall call, final int status, final Exception cause) {
        if (cause instanceof SchemaRegistryException e) {
            send(call, e.status(), error(e.errorCode(), e.getMessage()));
        } else if (status == 405) {
            send(call, 405, error(405, "HTTP 405 Method Not Allowed"));
        } else if (status == 500) {
            send(call, 500, error(50001, "Error in the embedded Schema Registry: " + cause));
        } else {
            send(call, status, error(status, cause.getMessage()));
        }
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode error(final int code, final String message) {
        return Json.error(code, message);
    }

    private static void send(final WebCall call, final int status, final Object body) {
        call.json(status, CONTENT_TYPE, body);
    }
}
