package org.mlarouter.registry;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mlarouter.serde.CompatibilityLevel;
import org.mlarouter.serde.InMemorySchemaRegistry;
import org.mlarouter.serde.RegisteredSchema;
import org.mlarouter.serde.SchemaReference;
import org.mlarouter.serde.SchemaRegistryException;

/**
 * The Confluent Schema Registry REST API the embedded registry serves (docs/schema-registry.md): each endpoint, its
 * query parameters, answers and error codes as Confluent documents them. Anything else answers 404 (or 405 for a
 * served path with another method) with a Confluent-shaped error body.
 */
final class RegistryApi {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final InMemorySchemaRegistry registry;

    RegistryApi(final InMemorySchemaRegistry registry) {
        this.registry = registry;
    }

    /** A request body: {@code schema}, {@code schemaType}, {@code references}. */
    private record Body(String schema, List<SchemaReference> references) {
    }

    JsonNode handle(final String method, final List<String> path, final Map<String, String> query, final InputStream body) throws IOException {
        final int size = path.size();
        final String first = path.isEmpty() ? "" : path.get(0);
        final boolean deleted = "true".equals(query.get("deleted"));
        if (size == 0 && "GET".equals(method)) {
            return MAPPER.createObjectNode();
        }
        switch (first) {
            case "subjects":
                if (size == 1) {
                    require(method, "GET");
                    return strings(registry.subjects(deleted));
                }
                final String subject = path.get(1);
                if (size == 2 && "POST".equals(method)) {
                    final Body request = body(body);
                    return version(registry.lookup(subject, request.schema(), request.references())
                            .orElseThrow(() -> registry.notFoundUnder(subject)));
                }
                if (size == 2) {
                    require(method, "DELETE");
                    return integers(registry.deleteSubject(subject, "true".equals(query.get("permanent"))));
                }
                if (!"versions".equals(path.get(2))) {
                    break;
                }
                if (size == 3 && "POST".equals(method)) {
                    final Body request = body(body);
                    return MAPPER.createObjectNode().put("id", registry.registerVersion(subject, request.schema(), request.references()).id());
                }
                if (size == 3) {
                    require(method, "GET");
                    final ArrayNode versions = MAPPER.createArrayNode();
                    registry.versions(subject, deleted).forEach(version -> versions.add(version.version()));
                    return versions;
                }
                final int version = versionNumber(path.get(3));
                if (size == 4 && "DELETE".equals(method)) {
                    return MAPPER.getNodeFactory().numberNode(registry.deleteVersion(subject, version, "true".equals(query.get("permanent"))));
                }
                if (size == 4) {
                    require(method, "GET");
                    return version(registry.version(subject, version, deleted));
                }
                if (size == 5 && "schema".equals(path.get(4))) {
                    require(method, "GET");
                    return MAPPER.readTree(registry.version(subject, version, deleted).schemaText());
                }
                if (size == 5 && "referencedby".equals(path.get(4))) {
                    require(method, "GET");
                    return integers(registry.referencedBy(subject, version));
                }
                break;
            case "schemas":
                if (size == 2 && "types".equals(path.get(1))) {
                    require(method, "GET");
                    return strings(List.of("AVRO"));
                }
                if (size >= 3 && "ids".equals(path.get(1))) {
                    require(method, "GET");
                    final int id = intOf(path.get(2), 404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema " + path.get(2) + " not found");
                    if (size == 3) {
                        final RegisteredSchema registered = registry.registeredById(id);
                        final ObjectNode answer = MAPPER.createObjectNode().put("schema", registered.schemaText());
                        references(answer, registered.references());
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
                if (size == 5 && "subjects".equals(path.get(1)) && "versions".equals(path.get(3))) {
                    require(method, "POST");
                    final Body request = body(body);
                    final String checked = path.get(2);
                    final int against = versionNumber(path.get(4));
                    if (!registry.subjects(false).contains(checked) && against != -1) {
                        registry.version(checked, against);
                    }
                    final List<String> problems = registry.compatibilityProblems(checked,
                            registry.resolveForCheck(request.schema(), request.references()), against);
                    final ObjectNode answer = MAPPER.createObjectNode().put("is_compatible", problems.isEmpty());
                    if (!problems.isEmpty() && "true".equals(query.get("verbose"))) {
                        answer.set("messages", strings(problems));
                    }
                    return answer;
                }
                break;
            case "config":
                if (size <= 2) {
                    return config(method, size == 2 ? path.get(1) : null, query, body);
                }
                break;
            default:
                break;
        }
        throw new SchemaRegistryException(404, 404, "HTTP 404 Not Found");
    }

    private JsonNode config(final String method, final String subject, final Map<String, String> query, final InputStream body) throws IOException {
        final ObjectNode answer = MAPPER.createObjectNode();
        switch (method) {
            case "GET": {
                final CompatibilityLevel level;
                if (subject == null) {
                    level = registry.globalCompatibility();
                } else if ("true".equals(query.get("defaultToGlobal"))) {
                    level = registry.compatibility(subject);
                } else {
                    level = registry.subjectCompatibility(subject).orElseThrow(() -> new SchemaRegistryException(404,
                            SchemaRegistryException.SUBJECT_COMPATIBILITY_NOT_CONFIGURED,
                            "Subject '" + subject + "' does not have subject-level compatibility configured"));
                }
                return answer.put("compatibilityLevel", level.name());
            }
            case "PUT": {
                final JsonNode request = json(body);
                final String text = request == null ? "" : request.path("compatibility").asText("");
                final CompatibilityLevel level;
                try {
                    level = CompatibilityLevel.valueOf(text);
                } catch (final IllegalArgumentException e) {
                    throw new SchemaRegistryException(422, SchemaRegistryException.INVALID_COMPATIBILITY_LEVEL, "Invalid compatibility level. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive");
                }
                if (subject == null) {
                    registry.setGlobalCompatibility(level);
                } else {
                    registry.setCompatibility(subject, level);
                }
                return answer.put("compatibility", level.name());
            }
            case "DELETE": {
                if (subject == null) {
                    throw new SchemaRegistryException(405, 405, "HTTP 405 Method Not Allowed");
                }
                final CompatibilityLevel previous = registry.subjectCompatibility(subject).orElseThrow(() -> new SchemaRegistryException(404,
                        SchemaRegistryException.SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found."));
                registry.setCompatibility(subject, null);
                return answer.put("compatibilityLevel", previous.name());
            }
            default:
                throw new SchemaRegistryException(405, 405, "HTTP 405 Method Not Allowed");
        }
    }

    private static void require(final String method, final String expected) {
        if (!expected.equals(method)) {
            throw new SchemaRegistryException(405, 405, "HTTP 405 Method Not Allowed");
        }
    }

    private static JsonNode json(final InputStream body) {
        try {
            return MAPPER.readTree(body);
        } catch (final IOException e) {
            throw new SchemaRegistryException(422, 422, "Unrecognized field or malformed JSON: " + e.getMessage());
        }
    }

    private static Body body(final InputStream input) {
        final JsonNode request = json(input);
        if (request == null || !request.path("schema").isTextual()) {
            throw new SchemaRegistryException(422, SchemaRegistryException.INVALID_SCHEMA, "Invalid schema: the request needs {\"schema\": \"...\"}");
        }
        final String type = request.path("schemaType").asText("AVRO");
        if (!"AVRO".equals(type)) {
            throw new SchemaRegistryException(422, SchemaRegistryException.INVALID_SCHEMA, "Invalid schema: only AVRO schemas are served here, not " + type);
        }
        final List<SchemaReference> references = new ArrayList<>();
        for (final JsonNode reference : request.path("references")) {
            if (!reference.path("name").isTextual() || !reference.path("subject").isTextual() || !reference.path("version").canConvertToInt()) {
                throw new SchemaRegistryException(422, SchemaRegistryException.INVALID_SCHEMA, "Invalid schema: a reference needs name, subject and version");
            }
            references.add(new SchemaReference(reference.get("name").asText(), reference.get("subject").asText(), reference.get("version").asInt()));
        }
        return new Body(request.get("schema").textValue(), references);
    }

    private static ObjectNode version(final RegisteredSchema version) {
        final ObjectNode answer = MAPPER.createObjectNode().put("subject", version.subject()).put("version", version.version())
                .put("id", version.id()).put("schema", version.schemaText());
        references(answer, version.references());
        return answer;
    }

    private static void references(final ObjectNode answer, final List<SchemaReference> references) {
        if (!references.isEmpty()) {
            final ArrayNode list = answer.putArray("references");
            references.forEach(reference -> list.addObject().put("name", reference.name()).put("subject", reference.subject())
                    .put("version", reference.version()));
        }
    }

    private static int versionNumber(final String text) {
        if ("latest".equals(text) || "-1".equals(text)) {
            return -1;
        }
        final int version = intOf(text, 422, SchemaRegistryException.INVALID_VERSION, "The specified version '" + text + "' is not a valid version id.");
        if (version < 1) {
            throw new SchemaRegistryException(422, SchemaRegistryException.INVALID_VERSION, "The specified version '" + text + "' is not a valid version id.");
        }
        return version;
    }

    private static int intOf(final String text, final int status, final int errorCode, final String message) {
        try {
            return Integer.parseInt(text);
        } catch (final NumberFormatException e) {
            throw new SchemaRegistryException(status, errorCode, message);
        }
    }

    private static ArrayNode strings(final List<String> values) {
        final ArrayNode array = MAPPER.createArrayNode();
        values.forEach(array::add);
        return array;
    }

    private static ArrayNode integers(final List<Integer> values) {
        final ArrayNode array = MAPPER.createArrayNode();
        values.forEach(array::add);
        return array;
    }
}
