package org.mlarouter.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlarouter.avro.AssistanceRequest;
import org.mlarouter.avro.Measure;
import org.mlarouter.avro.RoutingDecision;
import org.mlarouter.serde.HttpSchemaRegistryClient;
import org.mlarouter.serde.InMemorySchemaRegistry;
import org.mlarouter.serde.SchemaRegistryException;
import org.mlarouter.serde.SchemaRegistryUnavailableException;
import org.mlarouter.serde.SpecificAvroDeserializer;
import org.mlarouter.serde.SpecificAvroSerializer;
import org.mlarouter.testing.Requests;

/** The embedded Schema Registry over HTTP, through the router's own HTTP client and through raw REST calls. */
class SchemaRegistryServerTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Schema V1 = new Schema.Parser().parse(
            "{\"type\":\"record\",\"name\":\"Note\",\"namespace\":\"test\",\"fields\":[{\"name\":\"text\",\"type\":\"string\"}]}");
    private static final Schema V2_COMPATIBLE = new Schema.Parser().parse(
            "{\"type\":\"record\",\"name\":\"Note\",\"namespace\":\"test\",\"fields\":[{\"name\":\"text\",\"type\":\"string\"},"
                    + "{\"name\":\"lang\",\"type\":[\"null\",\"string\"],\"default\":null}]}");
    private static final Schema V2_INCOMPATIBLE = new Schema.Parser().parse(
            "{\"type\":\"record\",\"name\":\"Note\",\"namespace\":\"test\",\"fields\":[{\"name\":\"text\",\"type\":\"string\"},"
                    + "{\"name\":\"lang\",\"type\":\"string\"}]}");

    private SchemaRegistryServer server;
    private HttpSchemaRegistryClient client;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        server = SchemaRegistryServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), new InMemorySchemaRegistry("test"));
        client = new HttpSchemaRegistryClient(List.of(server.url()), Duration.ofSeconds(5), null);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void shouldRegisterLookUpAndFetchById() {
        final int id = client.register("notes-value", V1);

        assertEquals(id, client.register("notes-value", V1), "registering again returns the same id");
        assertEquals(id, client.idOf("notes-value", V1));
        assertEquals(V1, client.schemaById(id));
        assertEquals(id, client.register("other-value", V1), "one id per schema, whatever the subject");
    }

    @Test
    void shouldAnswerWithConfluentErrorCodes() {
        final SchemaRegistryException unknownId = assertThrows(SchemaRegistryException.class, () -> client.schemaById(77));
        assertEquals(404, unknownId.status());
        assertEquals(SchemaRegistryException.SCHEMA_NOT_FOUND, unknownId.errorCode());

        final SchemaRegistryException unknownSubject = assertThrows(SchemaRegistryException.class, () -> client.idOf("nobody-value", V1));
        assertEquals(SchemaRegistryException.SUBJECT_NOT_FOUND, unknownSubject.errorCode());
    }

    @Test
    void shouldEnforceBackwardCompatibility() {
        client.register("notes-value", V1);

        assertEquals(2, client.register("notes-value", V2_COMPATIBLE));
        final SchemaRegistryException refused = assertThrows(SchemaRegistryException.class, () -> client.register("notes-value", V2_INCOMPATIBLE));
        assertEquals(409, refused.status());
        assertTrue(refused.getMessage().contains("TYPE_MISMATCH at /fields/1/type"), "checked against the latest version: " + refused.getMessage());
    }

    @Test
    void shouldServeTheRestOfTheApiSerializersAndToolsUse() throws Exception {
        client.register("notes-value", V1);
        client.register("notes-value", V2_COMPATIBLE);

        assertEquals("[\"notes-value\"]", get("/subjects").toString());
        assertEquals("[1,2]", get("/subjects/notes-value/versions").toString());
        final JsonNode latest = get("/subjects/notes-value/versions/latest");
        assertEquals(2, latest.get("version").asInt());
        assertEquals(V2_COMPATIBLE, new Schema.Parser().parse(latest.get("schema").asText()));
        assertEquals(V1, new Schema.Parser().parse(get("/subjects/notes-value/versions/1/schema").toString()));
        assertEquals("[{\"subject\":\"notes-value\",\"version\":1}]", get("/schemas/ids/1/versions").toString());
        assertEquals("BACKWARD", get("/config").get("compatibilityLevel").asText());
        assertEquals("{\"is_compatible\":false,\"messages\"", post("/compatibility/subjects/notes-value/versions/latest?verbose=true", V2_INCOMPATIBLE)
                .toString().substring(0, 33));
        assertEquals(404, status("/subjects/nobody/versions"));
        assertEquals(404, status("/not/an/endpoint"));
    }

    @Test
    void shouldCarryRecordsThroughTheSerdeOverHttp() {
        final java.util.Map<String, Object> configs = java.util.Map.of("schema.registry.url", server.url().toString());
        final SpecificAvroSerializer<AssistanceRequest> serializer = new SpecificAvroSerializer<>();
        serializer.configure(configs, false);
        final SpecificAvroDeserializer<AssistanceRequest> deserializer = new SpecificAvroDeserializer<>();
        deserializer.configure(configs, false);
        final AssistanceRequest request = Requests.mla("r-1", "FR", Measure.SEARCH).build();

        assertEquals(request, deserializer.deserialize("mla.requests", serializer.serialize("mla.requests", request)));
        assertEquals(List.of("mla.requests-value"), server.registry().subjects());
        assertThrows(SchemaRegistryException.class, () -> client.register("mla.requests-value", RoutingDecision.getClassSchema()),
                "another record type is not BACKWARD compatible with the subject");
    }

    @Test
    void shouldFailFastAndRetriablyWhenNoRegistryListens() throws Exception {
        final int freePort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            freePort = socket.getLocalPort();
        }
        final HttpSchemaRegistryClient nowhere = new HttpSchemaRegistryClient(
                List.of(URI.create("http://127.0.0.1:" + freePort)), Duration.ofSeconds(2), null);

        final SchemaRegistryUnavailableException error = assertThrows(SchemaRegistryUnavailableException.class, () -> nowhere.schemaById(1));

        assertTrue(error.getMessage().startsWith("The Schema Registry at http://127.0.0.1:" + freePort + " cannot be reached"), error.getMessage());
    }

    @Test
    void shouldFailOverToTheNextUrl() throws Exception {
        final int freePort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            freePort = socket.getLocalPort();
        }
        final HttpSchemaRegistryClient failover = new HttpSchemaRegistryClient(
                List.of(URI.create("http://127.0.0.1:" + freePort), server.url()), Duration.ofSeconds(2), null);

        assertEquals(1, failover.register("notes-value", V1));
    }

    private JsonNode get(final String path) throws Exception {
        final HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return MAPPER.readTree(response.body());
    }

    private int status(final String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private JsonNode post(final String path, final Schema schema) throws Exception {
        final String body = MAPPER.createObjectNode().put("schema", schema.toString()).toString();
        final HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(server.url() + path))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return MAPPER.readTree(response.body());
    }
}
