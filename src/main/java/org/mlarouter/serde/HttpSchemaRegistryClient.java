package org.mlarouter.serde;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.Schema;

/**
 * A client of the Confluent Schema Registry REST API: {@code POST /subjects/{subject}/versions} to register,
 * {@code POST /subjects/{subject}} to look a schema up, {@code GET /schemas/ids/{id}} to fetch a writer schema.
 *
 * <p>Every request has a connect and a request timeout. With several URLs, a registry that cannot be reached is
 * passed over for the next. Schemas fetched by id and ids found for a schema are cached: both are immutable in a
 * registry. Optional HTTP basic authentication ({@code basic.auth.credentials.source=USER_INFO}). Thread-safe.
 */
public final class HttpSchemaRegistryClient implements SchemaRegistryClient {

    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT = "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json, application/json";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final List<URI> baseUris;
    private final Duration requestTimeout;
    private final String authorization;
    /** Made on the first request: the JDK's client starts a selector thread as it is built. Guarded by {@code this}. */
    private HttpClient http;
    private final Map<Integer, Schema> schemaById = new ConcurrentHashMap<>();
    private final Map<String, Map<Schema, Integer>> idBySubjectAndSchema = new ConcurrentHashMap<>();

    /**
     * @param baseUris       one or more registry URLs, tried in order
     * @param requestTimeout how long one request may take
     * @param userInfo       {@code user:password} for basic authentication, or null
     */
    public HttpSchemaRegistryClient(final List<URI> baseUris, final Duration requestTimeout, final String userInfo) {
        if (baseUris.isEmpty()) {
            throw new IllegalArgumentException("at least one Schema Registry URL is needed");
        }
        this.baseUris = List.copyOf(baseUris);
        this.requestTimeout = requestTimeout;
        this.authorization = userInfo == null ? null
                : "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }

    private synchronized HttpClient http() {
        if (http == null) {
            http = HttpClient.newBuilder().connectTimeout(requestTimeout).build();
        }
        return http;
    }

    @Override
    public int register(final String subject, final Schema schema) {
        final Map<Schema, Integer> ids = idBySubjectAndSchema.computeIfAbsent(subject, ignored -> new ConcurrentHashMap<>());
        final Integer cached = ids.get(schema);
        if (cached != null) {
            return cached;
        }
        final JsonNode answer = send("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema));
        final int id = answer.path("id").asInt(-1);
        if (id < 0) {
            throw new SchemaRegistryException(200, 0, "The Schema Registry at " + describe() + " answered a registration without an id: " + answer);
        }
        ids.put(schema, id);
        schemaById.putIfAbsent(id, schema);
        return id;
    }

    @Override
    public int idOf(final String subject, final Schema schema) {
        final Map<Schema, Integer> ids = idBySubjectAndSchema.computeIfAbsent(subject, ignored -> new ConcurrentHashMap<>());
        final Integer cached = ids.get(schema);
        if (cached != null) {
            return cached;
        }
        final JsonNode answer = send("POST", "/subjects/" + encode(subject), schemaBody(schema));
        final int id = answer.path("id").asInt(-1);
        ids.put(schema, id);
        return id;
    }

    private final Map<String, ReferenceResolver.Source> referencedSchemas = new ConcurrentHashMap<>();

    @Override
    public Schema schemaById(final int id) {
        final Schema cached = schemaById.get(id);
        if (cached != null) {
            return cached;
        }
        final JsonNode answer = send("GET", "/schemas/ids/" + id, null);
        final String type = answer.path("schemaType").asText("AVRO");
        if (!"AVRO".equals(type)) {
            throw new SchemaRegistryException(200, 0, "Schema " + id + " is a " + type + " schema, not Avro");
        }
        final Schema schema = ReferenceResolver.parse(answer.path("schema").asText(), references(answer.path("references")), this::referenced);
        schemaById.putIfAbsent(id, schema);
        return schema;
    }

    /** A referenced subject's version: its text and its own references (cached; versions never change). */
    private ReferenceResolver.Source referenced(final SchemaReference reference) {
        final String key = reference.subject() + "/" + reference.version();
        final ReferenceResolver.Source cached = referencedSchemas.get(key);
        if (cached != null) {
            return cached;
        }
        final JsonNode answer = send("GET", "/subjects/" + encode(reference.subject()) + "/versions/" + reference.version(), null);
        final ReferenceResolver.Source source = new ReferenceResolver.Source(answer.path("schema").asText(), references(answer.path("references")));
        referencedSchemas.putIfAbsent(key, source);
        return source;
    }

    private static List<SchemaReference> references(final JsonNode references) {
        final List<SchemaReference> list = new java.util.ArrayList<>();
        references.forEach(reference -> list.add(new SchemaReference(reference.path("name").asText(), reference.path("subject").asText(),
                reference.path("version").asInt())));
        return list;
    }

    @Override
    public String describe() {
        return baseUris.size() == 1 ? baseUris.get(0).toString() : baseUris.toString();
    }

    private static String schemaBody(final Schema schema) {
        final ObjectNode body = MAPPER.createObjectNode();
        body.put("schema", schema.toString());
        return body.toString();
    }

    private static String encode(final String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private JsonNode send(final String method, final String path, final String body) {
        IOException unreachable = null;
        for (final URI base : baseUris) {
            final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stripSlash(base.toString()) + path))
                    .timeout(requestTimeout)
                    .header("Accept", ACCEPT);
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            if (body == null) {
                request.GET();
            } else {
                request.header("Content-Type", CONTENT_TYPE).method(method, HttpRequest.BodyPublishers.ofString(body));
            }
            final HttpResponse<String> response;
            try {
                response = http().send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (final IOException e) {
                unreachable = e;
                continue;
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryUnavailableException("Interrupted while calling the Schema Registry at " + base, e);
            }
            return answer(base, method, path, response);
        }
        throw new SchemaRegistryUnavailableException("The Schema Registry at " + describe() + " cannot be reached ("
                + method + " " + path + "): " + unreachable, unreachable);
    }

    private static JsonNode answer(final URI base, final String method, final String path, final HttpResponse<String> response) {
        JsonNode json;
        try {
            json = MAPPER.readTree(response.body());
        } catch (final IOException e) {
            json = null;
        }
        final int status = response.statusCode();
        if (status >= 200 && status < 300 && json != null) {
            return json;
        }
        final String message = json != null && json.has("message") ? json.path("message").asText() : abbreviate(response.body());
        if (status >= 500 || (status >= 200 && status < 300)) {
            throw new SchemaRegistryUnavailableException("The Schema Registry at " + base + " failed " + method + " " + path
                    + " with HTTP " + status + ": " + message, null);
        }
        final int errorCode = json != null ? json.path("error_code").asInt(status) : status;
        throw new SchemaRegistryException(status, errorCode, "The Schema Registry at " + base + " refused " + method + " "
                + path + " (HTTP " + status + ", error " + errorCode + "): " + message);
    }

    private static String stripSlash(final String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static String abbreviate(final String text) {
        return text == null ? "" : text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}
