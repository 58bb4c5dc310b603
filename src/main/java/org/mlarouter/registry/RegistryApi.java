package org.mlarouter.registry;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mlarouter.json.Json;
import org.mlarouter.net.WebCall;
import org.mlarouter.net.WebServer;
import org.mlarouter.serde.CompatibilityLevel;
import org.mlarouter.serde.InMemorySchemaRegistry;
import org.mlarouter.serde.RegisteredSchema;
import org.mlarouter.serde.SchemaReference;
import org.mlarouter.serde.SchemaRegistryException;

/**
 * The Confluent Schema Registry REST API the embedded registry serves (docs/schema-registry.md): each endpoint, its
 * query parameters, answers and error codes as Confluent documents them. Anything else answers 404 (or 405 for a
 * served path with another method) with a Confluent-shaped error body. Each endpoint is a declared route.
 */
final class RegistryApi {

    private static final ObjectMapper MAPPER = Json.MAPPER;

    private final InMemorySchemaRegistry registry;

    RegistryApi(final InMemorySchemaRegistry registry) {
        this.registry = registry;
    }

    /** A request body: {@code schema}, {@code schemaType}, {@code references}. */
    private record Body(String schema, List<SchemaReference> references) {
    }

    /** Declares every endpoint (docs/schema-registry.md); their answers are written by {@link SchemaRegistryServer}. */
    void declare(final WebServer.Builder routes, final Answerer answer) {
        routes.get("/", call -> answer.ok(call, MAPPER.createObjectNode()));
        routes.get("/subjects", call -> answer.ok(call, strings(registry.subjects(call.flag("deleted")))));
        routes.post("/subjects/{subject}", call -> {
            final String subject = call.pathParameter("subject");
            final Body request = body(call.body());
            answer.ok(call, version(registry.lookup(subject, request.schema(), request.references())
                    .orElseThrow(() -> registry.notFoundUnder(subject))));
        });
        routes.delete("/subjects/{subject}",
                call -> answer.ok(call, integers(registry.deleteSubject(call.pathParameter("subject"), call.flag("permanent")))));
        routes.post("/subjects/{subject}/versions", call -> {
            final Body request = body(call.body());
            answer.ok(call, MAPPER.createObjectNode().put("id",
                    registry.registerVersion(call.pathParameter("subject"), request.schema(), request.references()).id()));
        });
        routes.get("/subjects/{subject}/versions", call -> {
            final ArrayNode versions = MAPPER.createArrayNode();
            registry.versions(call.pathParameter("subject"), call.flag("deleted")).forEach(version -> versions.add(version.version()));
            answer.ok(call, versions);
        });
        routes.delete("/subjects/{subject}/versions/{version}", call -> answer.ok(call, MAPPER.getNodeFactory().numberNode(
                registry.deleteVersion(call.pathParameter("subject"), versionNumber(call.pathParameter("version")), call.flag("permanent")))));
        routes.get("/subjects/{subject}/versions/{version}", call -> answer.ok(call, version(
                registry.version(call.pathParameter("subject"), versionNumber(call.pathParameter("version")), call.flag("deleted")))));
        routes.get("/subjects/{subject}/versions/{version}/schema", call -> answer.ok(call, MAPPER.readTree(
                registry.version(call.pathParameter("subject"), versionNumber(call.pathParameter("version")), call.flag("deleted")).schemaText())));
        routes.get("/subjects/{subject}/versions/{version}/referencedby", call -> answer.ok(call, integers(
                registry.referencedBy(call.pathParameter("subject"), versionNumber(call.pathParameter("version"))))));
        routes.get("/schemas/types", call -> answer.ok(call, strings(List.of("AVRO"))));
        routes.get("/schemas/ids/{id}", call -> {
            final RegisteredSchema registered = registry.registeredById(schemaId(call.pathParameter("id")));
            final ObjectNode schema = MAPPER.createObjectNode().put("schema", registered.schemaText());
            references(schema, registered.references());
            answer.ok(call, schema);
        });
        routes.get("/schemas/ids/{id}/versions", call -> {
            final ArrayNode uses = MAPPER.createArrayNode();
            registry.usesOf(schemaId(call.pathParameter("id"))).forEach(use -> uses.addObject().put("subject", use.subject()).put("version", use.version()));
            answer.ok(call, uses);
        });
        routes.post("/compatibility/subjects/{subject}/versions/{version}", call -> {
            final Body request = body(call.body());
            final String checked = call.pathParameter("subject");
            final int against = versionNumber(call.pathParameter("version"));
            if (!registry.subjects(false).contains(checked) && against != -1) {
                registry.version(checked, against);
            }
            final List<String> problems = registry.compatibilityProblems(checked, registry.resolveForCheck(request.schema(), request.references()), against);
            final ObjectNode compatible = MAPPER.createObjectNode().put("is_compatible", problems.isEmpty());
            if (!problems.isEmpty() && call.flag("verbose")) {
                compatible.set("messages", strings(problems));
            }
            answer.ok(call, compatible);
        });
        routes.get("/config", call -> answer.ok(call, MAPPER.createObjectNode().put("compatibilityLevel", registry.globalCompatibility().name())));
        routes.put("/config", call -> {
            final CompatibilityLevel level = level(call.body());
            registry.setGlobalCompatibility(level);
            answer.ok(call, MAPPER.createObjectNode().put("compatibility", level.name()));
        });
        routes.get("/config/{subject}", call -> {
            final String subject = call.pathParameter("subject");
            final CompatibilityLevel level = call.flag("defaultToGlobal") ? registry.compatibility(subject)
                    : registry.subjectCompatibility(subject).orElseThrow(() -> new SchemaRegistryException(404,
                            SchemaRegistryException.SUBJECT_COMPATIBILITY_NOT_CONFIGURED,
                            "Subject '" + subject + "' does not have subject-level compatibility configured"));
            answer.ok(call, MAPPER.createObjectNode().put("compatibilityLevel", level.name()));
        });
        routes.put("/config/{subject}", call -> {
            final CompatibilityLevel level = level(call.body());
            registry.setCompatibility(call.pathParameter("subject"), level);
            answer.ok(call, MAPPER.createObjectNode().put("compatibility", level.name()));
        });
        routes.delete("/config/{subject}", call -> {
            final String subject = call.pathParameter("subject");
            final CompatibilityLevel previous = registry.subjectCompatibility(subject).orElseThrow(() -> new SchemaRegistryException(404,
                    SchemaRegistryException.SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found."));
            registry.setCompatibility(subject, null);
            answer.ok(call, MAPPER.createObjectNode().put("compatibilityLevel", previous.name()));
        });
    }

    /** Writes a successful answer. */
    @FunctionalInterface
    interface Answerer {
        void ok(WebCall call, JsonNode body);
    }

    private static int schemaId(final String text) {
        return intOf(text, 404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema " + text + " not found");
    }

    private static CompatibilityLevel level(final byte[] body) {
        final JsonNode request = json(body);
        final String text = request == null ? "" : request.path("compatibility").asText("");
        try {
            return CompatibilityLevel.valueOf(text);
        } catch (final IllegalArgumentException e) {
            throw new SchemaRegistryException(422, SchemaRegistryException.INVALID_COMPATIBILITY_LEVEL, "Invalid compatibility level. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive");
        }
    }

    private static JsonNode json(final byte[] body) {
        try {
            return MAPPER.readTree(body);
        } catch (final IOException e) {
            throw new SchemaRegistryException(422, 422, "Unrecognized field or malformed JSON: " + e.getMessage());
        }
    }

    private static Body body(final byte[] input) {
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
