package org.mlarouter.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlarouter.avro.Measure;
import org.mlarouter.avro.Reason;
import org.mlarouter.avro.ReasonCode;
import org.mlarouter.avro.Review;
import org.mlarouter.avro.Route;
import org.mlarouter.avro.RoutingDecision;
import org.mlarouter.serde.InMemorySchemaRegistry;
import org.mlarouter.testing.Requests;

/**
 * The contract's versions against one another (versions 1 and 2 of the schemas kept as test resources; version 3 is the
 * current one): each reads the others' decisions and outcomes, and the embedded Schema Registry accepts the evolution
 * under FULL_TRANSITIVE and refuses one that breaks it, as Confluent's does.
 */
class ContractVersionsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Schema CURRENT = RoutingDecision.getClassSchema();

    static {
        // Avro trusts the contract's generated classes once the router's serde code has said so, as it does before it
        // decodes anything; without this the test passed only after another test had loaded that code.
        org.mlarouter.serde.GeneratedClasses.modelOf(RoutingDecision.class);
    }

    private SchemaRegistryServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    private static Schema v1() throws IOException {
        return resource("/schemas/v1/RoutingDecision.avsc");
    }

    private static Schema resource(final String path) throws IOException {
        try (InputStream schema = ContractVersionsTest.class.getResourceAsStream(path)) {
            return new Schema.Parser().parse(schema);
        }
    }

    private static RoutingDecision reviewed() {
        return new RoutingDecision("vn-1", Route.ACCEPTED, "VN", "KZ-VN-MLA",
                List.of(new Reason(ReasonCode.TREATY_NOT_IN_FORCE, "signed only")), 1L, Instant.parse("2026-11-24T10:00:00Z"),
                Requests.mla("vn-1", "VN", Measure.SERVICE_OF_DOCUMENTS).build(),
                new Review(Route.ACCEPTED, "PG-REVIEWER-07", "Reciprocity", Instant.parse("2026-11-24T09:00:00Z"),
                        Instant.parse("2026-11-23T10:00:00Z"), "PG-SUPERVISOR-02", Instant.parse("2026-11-24T09:30:00Z")));
    }

    @BeforeEach
    void start() throws IOException {
        server = SchemaRegistryServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), new InMemorySchemaRegistry("versions"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void shouldLetAConsumerOfTheFirstSchemaReadAReviewedDecision() throws IOException {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new SpecificDatumWriter<RoutingDecision>(CURRENT).write(reviewed(), encoder);
        encoder.flush();

        final GenericRecord read = new GenericDatumReader<GenericRecord>(CURRENT, v1())
                .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));

        assertEquals("vn-1", read.get("requestId").toString());
        assertEquals("ACCEPTED", read.get("route").toString());
        assertEquals("KZ-VN-MLA", read.get("legalBasis").toString());
        assertNull(read.getSchema().getField("review"), "the first schema has no review");
    }

    @Test
    void shouldLetANewConsumerReadADecisionOfTheFirstSchema() throws IOException {
        final Schema v1 = v1();
        final GenericRecord old = new GenericDatumReader<GenericRecord>(CURRENT, v1).read(null, DecoderFactory.get().binaryDecoder(encode(reviewed()), null));
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new GenericDatumWriter<GenericRecord>(v1).write(old, encoder);
        encoder.flush();

        final RoutingDecision read = new SpecificDatumReader<RoutingDecision>(v1, CURRENT).read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));

        assertEquals("vn-1", read.getRequestId());
        assertNull(read.getReview(), "a decision of the first schema has no review");
    }

    @Test
    void shouldRegisterTheEvolutionUnderFullTransitiveAndRefuseABreakingOne() throws Exception {
        final String subject = "mla.decisions.accepted-value";
        assertEquals(200, send("PUT", "/config/" + subject, "{\"compatibility\":\"FULL_TRANSITIVE\"}").statusCode());
        assertEquals(200, register(subject, v1()).statusCode());

        final JsonNode check = JSON.readTree(send("POST", "/compatibility/subjects/" + subject + "/versions/latest", schemaBody(CURRENT)).body());
        assertTrue(check.get("is_compatible").asBoolean(), check.toString());
        assertEquals(200, register(subject, CURRENT).statusCode());

        // A review field without a default: a consumer of the new schema could not read the first one's decisions.
        final com.fasterxml.jackson.databind.node.ObjectNode tree = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(CURRENT.toString());
        for (final JsonNode field : tree.get("fields")) {
            if ("review".equals(field.get("name").asText())) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) field).remove("default");
            }
        }
        final Schema breaking = new Schema.Parser().parse(tree.toString());
        final JsonNode refused = JSON.readTree(send("POST", "/compatibility/subjects/" + subject + "/versions/latest", schemaBody(breaking)).body());
        assertEquals(false, refused.get("is_compatible").asBoolean(), refused.toString());
        final HttpResponse<String> registered = register(subject, breaking);
        assertEquals(409, registered.statusCode(), registered.body());
        assertEquals(409, JSON.readTree(registered.body()).get("error_code").asInt());
    }

    @Test
    void shouldEvolveTheSchemasOfVersionThreeFullTransitivelyFromVersionsOneAndTwo() throws Exception {
        final String decisions = "mla.decisions.accepted-value";
        assertEquals(200, send("PUT", "/config/" + decisions, "{\"compatibility\":\"FULL_TRANSITIVE\"}").statusCode());
        assertEquals(200, register(decisions, v1()).statusCode());
        assertEquals(200, register(decisions, resource("/schemas/v2/RoutingDecision.avsc")).statusCode());
        final HttpResponse<String> decisionV3 = register(decisions, CURRENT);
        assertEquals(200, decisionV3.statusCode(), decisionV3.body());

        final String outcomes = "mla.reviews-value";
        assertEquals(200, send("PUT", "/config/" + outcomes, "{\"compatibility\":\"FULL_TRANSITIVE\"}").statusCode());
        assertEquals(200, register(outcomes, resource("/schemas/v2/ReviewOutcome.avsc")).statusCode());
        final HttpResponse<String> outcomeV3 = register(outcomes, org.mlarouter.avro.ReviewOutcome.getClassSchema());
        assertEquals(200, outcomeV3.statusCode(), outcomeV3.body());

        // Coverage over time: inForceUntil, changedBy, changeNote and approvedBy, each last with a default.
        final String treaties = "mla.treaties-value";
        assertEquals(200, send("PUT", "/config/" + treaties, "{\"compatibility\":\"FULL_TRANSITIVE\"}").statusCode());
        assertEquals(200, register(treaties, resource("/schemas/v2/TreatyCoverage.avsc")).statusCode());
        final HttpResponse<String> coverageV3 = register(treaties, org.mlarouter.avro.TreatyCoverage.getClassSchema());
        assertEquals(200, coverageV3.statusCode(), coverageV3.body());
    }

    @Test
    void shouldReadVersionTwosOutcomesAsDecisionsAndLetVersionTwoReadAConfirmedReview() throws IOException {
        final Schema outcomeV2 = resource("/schemas/v2/ReviewOutcome.avsc");
        final org.apache.avro.generic.GenericData.Record old = new org.apache.avro.generic.GenericData.Record(outcomeV2);
        old.put("requestId", "vn-1");
        old.put("decision", new org.apache.avro.generic.GenericData.EnumSymbol(outcomeV2.getField("decision").schema(), "REFUSED"));
        old.put("legalBasis", null);
        old.put("reviewer", "PG-REVIEWER-07");
        old.put("grounds", "Contrary to national law");
        old.put("reviewedAt", 1_764_000_000_000L);
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new GenericDatumWriter<GenericRecord>(outcomeV2).write(old, encoder);
        encoder.flush();
        final org.mlarouter.avro.ReviewOutcome read = new SpecificDatumReader<org.mlarouter.avro.ReviewOutcome>(outcomeV2,
                org.mlarouter.avro.ReviewOutcome.getClassSchema()).read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
        assertEquals(org.mlarouter.avro.OutcomeKind.DECISION, read.getKind(), "an outcome of version 2 is a decision");

        final GenericRecord decision = new GenericDatumReader<GenericRecord>(CURRENT, resource("/schemas/v2/RoutingDecision.avsc"))
                .read(null, DecoderFactory.get().binaryDecoder(encode(reviewed()), null));
        assertEquals("PG-REVIEWER-07", ((GenericRecord) decision.get("review")).get("reviewer").toString());
        assertNull(((GenericRecord) decision.get("review")).getSchema().getField("confirmedBy"), "version 2 knows no confirmation");
    }

    private static byte[] encode(final RoutingDecision decision) throws IOException {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new SpecificDatumWriter<RoutingDecision>(CURRENT).write(decision, encoder);
        encoder.flush();
        return bytes.toByteArray();
    }

    private static String schemaBody(final Schema schema) {
        return JSON.createObjectNode().put("schema", schema.toString()).toString();
    }

    private HttpResponse<String> register(final String subject, final Schema schema) throws Exception {
        return send("POST", "/subjects/" + subject + "/versions", schemaBody(schema));
    }

    private HttpResponse<String> send(final String method, final String path, final String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
