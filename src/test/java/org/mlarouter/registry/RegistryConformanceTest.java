package org.mlarouter.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlarouter.avro.AssistanceRequest;
import org.mlarouter.avro.Measure;
import org.mlarouter.serde.ConfluentFraming;
import org.mlarouter.serde.HttpSchemaRegistryClient;
import org.mlarouter.serde.InMemorySchemaRegistry;
import org.mlarouter.serde.SpecificAvroDeserializer;
import org.mlarouter.testing.Requests;

/**
 * The embedded Schema Registry against Confluent's documented API, endpoint by endpoint: status codes and error codes,
 * schema references, subject-level configuration, soft and permanent deletes. docs/schema-registry.md lists the same.
 */
class RegistryConformanceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REQUESTS = "mla.requests-value";
    private static final List<String> SHARED = List.of("AssistanceKind", "Measure", "OffenceCategory");

    private SchemaRegistryServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        server = SchemaRegistryServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), new InMemorySchemaRegistry("conformance"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private record Answer(int status, JsonNode json) {
        int errorCode() {
            return json.path("error_code").asInt();
        }
    }

    private Answer call(final String method, final String path, final String body) throws Exception {
        final HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(server.url() + path))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), JSON.readTree(response.body()));
    }

    private static String body(final String schema, final Map<String, String> references) {
        final ObjectNode body = JSON.createObjectNode().put("schema", schema);
        if (!references.isEmpty()) {
            final ArrayNode list = body.putArray("references");
            references.forEach((name, subject) -> list.addObject().put("name", name).put("subject", subject).put("version", 1));
        }
        return body.toString();
    }

    /** The shared enums registered on their own, and the request schema (as its .avsc file has it) referencing them. */
    private int registerWithReferences() throws Exception {
        final Map<String, String> references = new LinkedHashMap<>();
        for (final String type : SHARED) {
            final String name = "org.mlarouter.avro." + type;
            assertEquals(200, call("POST", "/subjects/" + name + "/versions", body(Files.readString(Path.of("schemas/" + type + ".avsc")), Map.of())).status());
            references.put(name, name);
        }
        final Answer registered = call("POST", "/subjects/" + REQUESTS + "/versions",
                body(Files.readString(Path.of("schemas/AssistanceRequest.avsc")), references));
        assertEquals(200, registered.status(), registered.json().toString());
        return registered.json().get("id").asInt();
    }

    @Test
    void shouldKeepServeAndResolveSchemaReferences() throws Exception {
        final int id = registerWithReferences();

        final JsonNode byId = call("GET", "/schemas/ids/" + id, null).json();
        assertEquals(3, byId.get("references").size(), byId.toString());
        assertEquals("org.mlarouter.avro.AssistanceKind", byId.get("references").get(0).get("name").asText());
        assertEquals(3, call("GET", "/subjects/" + REQUESTS + "/versions/1", null).json().get("references").size());
        assertEquals("[" + id + "]", call("GET", "/subjects/org.mlarouter.avro.Measure/versions/1/referencedby", null).json().toString());

        final Answer refused = call("DELETE", "/subjects/org.mlarouter.avro.Measure/versions/1", null);
        assertEquals(422, refused.status());
        assertEquals(42206, refused.errorCode(), "a referenced version cannot be deleted");

        // What an agency writes with its reference-based schema, read back by the router's serde over HTTP.
        final AssistanceRequest request = Requests.mla("r-refs", "FR", Measure.SEARCH).build();
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final byte[] header = new byte[ConfluentFraming.HEADER_LENGTH];
        ConfluentFraming.writeHeader(header, id);
        bytes.write(header);
        final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new SpecificDatumWriter<AssistanceRequest>(AssistanceRequest.getClassSchema()).write(request, encoder);
        encoder.flush();
        final SpecificAvroDeserializer<AssistanceRequest> deserializer = new SpecificAvroDeserializer<>();
        deserializer.configure(Map.of("schema.registry.url", server.url().toString()), false);
        assertEquals(request, deserializer.deserialize("mla.requests", bytes.toByteArray()));

        final Schema resolved = new HttpSchemaRegistryClient(List.of(server.url()), Duration.ofSeconds(5), null).schemaById(id);
        assertEquals("org.mlarouter.avro.AssistanceKind", resolved.getField("kind").schema().getFullName());
    }

    @Test
    void shouldServeSubjectConfigAsConfluentDoes() throws Exception {
        final Answer missing = call("GET", "/config/" + REQUESTS, null);
        assertEquals(404, missing.status());
        assertEquals(40408, missing.errorCode());
        assertEquals("BACKWARD", call("GET", "/config/" + REQUESTS + "?defaultToGlobal=true", null).json().get("compatibilityLevel").asText());
        assertEquals("FULL", call("PUT", "/config/" + REQUESTS, "{\"compatibility\":\"FULL\"}").json().get("compatibility").asText());
        assertEquals("FULL", call("GET", "/config/" + REQUESTS, null).json().get("compatibilityLevel").asText());
        assertEquals("FULL", call("DELETE", "/config/" + REQUESTS, null).json().get("compatibilityLevel").asText());
        assertEquals(40408, call("GET", "/config/" + REQUESTS, null).errorCode());
        final Answer badLevel = call("PUT", "/config", "{\"compatibility\":\"SOMETIMES\"}");
        assertEquals(422, badLevel.status());
        assertEquals(42203, badLevel.errorCode());
    }

    @Test
    void shouldAnswerEachErrorWithConfluentsStatusAndCode() throws Exception {
        final String note = "{\"type\":\"record\",\"name\":\"Note\",\"fields\":[{\"name\":\"text\",\"type\":\"string\"}]}";
        final Map<String, int[]> expected = new LinkedHashMap<>();
        expected.put("invalid schema", statusAndCode(call("POST", "/subjects/notes/versions", body("{\"type\":\"record\"}", Map.of()))));
        expected.put("unresolved reference", statusAndCode(call("POST", "/subjects/notes/versions", body("\"test.Missing\"", Map.of("test.Missing", "nowhere")))));
        call("POST", "/subjects/notes/versions", body(note, Map.of()));
        expected.put("unknown subject", statusAndCode(call("GET", "/subjects/nobody/versions", null)));
        expected.put("unknown version", statusAndCode(call("GET", "/subjects/notes/versions/7", null)));
        expected.put("invalid version", statusAndCode(call("GET", "/subjects/notes/versions/seven", null)));
        expected.put("unknown schema id", statusAndCode(call("GET", "/schemas/ids/999", null)));
        expected.put("not under subject", statusAndCode(call("POST", "/subjects/notes", body("{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\"]}", Map.of()))));
        expected.put("incompatible", statusAndCode(call("POST", "/subjects/notes/versions", body("{\"type\":\"record\",\"name\":\"Note\",\"fields\":[{\"name\":\"n\",\"type\":\"int\"}]}", Map.of()))));
        expected.put("unknown endpoint", statusAndCode(call("GET", "/not/served", null)));
        expected.put("wrong method", statusAndCode(call("PUT", "/subjects", "{}")));

        assertEquals("invalid schema=422/42201, unresolved reference=422/42201, unknown subject=404/40401, unknown version=404/40402,"
                + " invalid version=422/42202, unknown schema id=404/40403, not under subject=404/40403, incompatible=409/409,"
                + " unknown endpoint=404/404, wrong method=405/405", describe(expected));
    }

    @Test
    void shouldSoftDeleteThenDeletePermanently() throws Exception {
        final String v1 = "{\"type\":\"record\",\"name\":\"Note\",\"fields\":[{\"name\":\"text\",\"type\":\"string\"}]}";
        final String v2 = "{\"type\":\"record\",\"name\":\"Note\",\"fields\":[{\"name\":\"text\",\"type\":\"string\"},"
                + "{\"name\":\"lang\",\"type\":[\"null\",\"string\"],\"default\":null}]}";
        call("POST", "/subjects/notes/versions", body(v1, Map.of()));
        call("POST", "/subjects/notes/versions", body(v2, Map.of()));

        assertEquals(40407, call("DELETE", "/subjects/notes/versions/1?permanent=true", null).errorCode(), "soft-delete first");
        assertEquals("1", call("DELETE", "/subjects/notes/versions/1", null).json().toString());
        assertEquals(40406, call("DELETE", "/subjects/notes/versions/1", null).errorCode());
        assertEquals("[2]", call("GET", "/subjects/notes/versions", null).json().toString());
        assertEquals("[1,2]", call("GET", "/subjects/notes/versions?deleted=true", null).json().toString());
        assertEquals(404, call("GET", "/subjects/notes/versions/1", null).status());
        assertEquals(200, call("GET", "/subjects/notes/versions/1?deleted=true", null).status());
        assertEquals("1", call("DELETE", "/subjects/notes/versions/1?permanent=true", null).json().toString());
        assertEquals("[2]", call("GET", "/subjects/notes/versions?deleted=true", null).json().toString());

        assertEquals(40405, call("DELETE", "/subjects/notes?permanent=true", null).errorCode(), "soft-delete the subject first");
        assertEquals("[2]", call("DELETE", "/subjects/notes", null).json().toString());
        assertEquals(40404, call("DELETE", "/subjects/notes", null).errorCode());
        assertEquals("[]", call("GET", "/subjects", null).json().toString());
        assertEquals("[\"notes\"]", call("GET", "/subjects?deleted=true", null).json().toString());
        assertEquals("[2]", call("DELETE", "/subjects/notes?permanent=true", null).json().toString());
        assertEquals("[]", call("GET", "/subjects?deleted=true", null).json().toString());
    }

    private static int[] statusAndCode(final Answer answer) {
        return new int[] {answer.status(), answer.errorCode()};
    }

    private static String describe(final Map<String, int[]> answers) {
        final StringBuilder text = new StringBuilder();
        answers.forEach((what, answer) -> text.append(text.length() == 0 ? "" : ", ").append(what).append('=').append(answer[0]).append('/').append(answer[1]));
        return text.toString();
    }
}
