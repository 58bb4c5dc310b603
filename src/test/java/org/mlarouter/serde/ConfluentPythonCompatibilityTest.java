package org.mlarouter.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlarouter.avro.AssistanceRequest;
import org.mlarouter.avro.Concern;
import org.mlarouter.avro.Measure;
import org.mlarouter.avro.Person;
import org.mlarouter.avro.PersonRole;
import org.mlarouter.avro.TreatyCoverage;
import org.mlarouter.json.AvroJson;
import org.mlarouter.policy.RoutingPolicy;
import org.mlarouter.registry.SchemaRegistryServer;
import org.mlarouter.testing.Requests;
import org.mlarouter.treaty.TreatyTable;

/**
 * Byte compatibility with Confluent's own client: Debian's python3-confluent-kafka ({@code confluent_kafka.avro}),
 * through the embedded Schema Registry over HTTP. Python encodes each record from its JSON form with the schema it
 * assembles from {@code schemas/*.avsc}; the bytes must equal this serde's, schema id included. Python decodes this
 * serde's bytes; the record must equal the JSON form. Needs {@code /usr/bin/python3} with python3-confluent-kafka,
 * python3-avro and python3-requests ({@code .ci/run} installs them).
 */
class ConfluentPythonCompatibilityTest {

    private static final String PYTHON = "/usr/bin/python3";
    private static final Path SCRIPT = Path.of("src/test/python/confluent_crosscheck.py");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();

    @TempDir
    Path workDir;

    private SchemaRegistryServer registry;

    @BeforeEach
    void startRegistry() throws IOException {
        registry = SchemaRegistryServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), new InMemorySchemaRegistry("python-crosscheck"));
    }

    @AfterEach
    void stopRegistry() {
        registry.close();
    }

    @Test
    void shouldWriteAndReadTheSameBytesAsConfluentsPythonSerializer() throws Exception {
        requirePythonClient();
        final List<Case> cases = cases();
        final Path casesFile = workDir.resolve("cases.jsonl");
        final Path resultsFile = workDir.resolve("results.jsonl");
        final StringBuilder lines = new StringBuilder();
        for (final Case testCase : cases) {
            final ObjectNode line = MAPPER.createObjectNode();
            line.put("topic", testCase.topic);
            line.put("type", testCase.record.getSchema().getName());
            line.set("json", AvroJson.toJson(testCase.record));
            line.put("javaBytes", HEX.formatHex(testCase.javaBytes));
            lines.append(line).append('\n');
        }
        Files.writeString(casesFile, lines);

        final Process python = new ProcessBuilder(PYTHON, SCRIPT.toString(), registry.url().toString(), "schemas",
                casesFile.toString(), resultsFile.toString())
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("python.log").toFile())
                .start();
        if (!python.waitFor(120, TimeUnit.SECONDS)) {
            python.destroyForcibly();
            fail("the Python cross-check did not finish within 120 s");
        }
        assertEquals(0, python.exitValue(), "python failed:\n" + Files.readString(workDir.resolve("python.log")));

        final List<String> results = Files.readAllLines(resultsFile);
        assertEquals(cases.size(), results.size());
        for (int i = 0; i < cases.size(); i++) {
            final Case testCase = cases.get(i);
            final JsonNode result = MAPPER.readTree(results.get(i));
            assertEquals(HEX.formatHex(testCase.javaBytes), result.get("encoded").asText(),
                    "Confluent's Python serializer wrote other bytes for case " + i + " (" + testCase.topic + ")");
            assertEquals(MAPPER.readTree(AvroJson.toJsonLine(testCase.record)), result.get("decoded"),
                    "Confluent's Python deserializer read another record for case " + i);
            final byte[] pythonBytes = HEX.parseHex(result.get("encoded").asText());
            assertEquals(testCase.record, testCase.deserializer.deserialize(testCase.topic, pythonBytes));
        }
        assertEquals(List.of("mla.decisions.accepted-value", "mla.requests-value", "mla.treaties-value"), registry.registry().subjects());
    }

    private List<Case> cases() {
        final Map<String, Object> configs = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, registry.url().toString());
        final List<Case> cases = new ArrayList<>();
        final List<AssistanceRequest> requests = List.of(
                Requests.mla("fr-1", "FR", Measure.SEARCH, Measure.SEIZURE).build(),
                Requests.mla("vn-2", "VN", Measure.values()).setConcerns(Requests.concerns(Concern.values()))
                        .setSubmittedAt(Instant.parse("2026-11-23T09:15:42.317Z"))
                        .setSubjects(new ArrayList<>(List.of(new Person("Жанибек Тестов", PersonRole.ACCUSED),
                                new Person("Nguyễn Văn Thử", PersonRole.WITNESS)))).build(),
                Requests.transfer("uz-3", "UZ").build(),
                Requests.extradition("", "").setMeasures(new ArrayList<>()).setSubjects(new ArrayList<>()).build());
        requests.forEach(request -> cases.add(new Case("mla.requests", request, configs)));
        TreatyTable.shipped("KZ").all().forEach(coverage -> cases.add(new Case("mla.treaties", coverage, configs)));
        final RoutingPolicy policy = new RoutingPolicy("KZ", Clock.fixed(Instant.parse("2026-11-23T10:00:00.001Z"), ZoneOffset.UTC));
        final TreatyCoverage france = TreatyTable.shipped("KZ").coverage("FR").orElseThrow();
        requests.forEach(request -> cases.add(new Case("mla.decisions.accepted", policy.decide(request, france), configs)));
        return cases;
    }

    private static void requirePythonClient() throws Exception {
        final Process probe = new ProcessBuilder(PYTHON, "-c", "import confluent_kafka.avro, avro, requests").redirectErrorStream(true).start();
        final boolean finished = probe.waitFor(30, TimeUnit.SECONDS);
        final String output = new String(probe.getInputStream().readAllBytes());
        assertTrue(finished && probe.exitValue() == 0, "Confluent's Python client is needed here: apt-get install -y"
                + " python3-confluent-kafka python3-avro python3-requests (bash .ci/run does it)\n" + output);
    }

    /** One record, the bytes this serde writes for it, and a deserializer for its topic. */
    private static final class Case {
        final String topic;
        final SpecificRecord record;
        final byte[] javaBytes;
        final SpecificAvroDeserializer<SpecificRecord> deserializer = new SpecificAvroDeserializer<>();

        Case(final String topic, final SpecificRecord record, final Map<String, Object> configs) {
            this.topic = topic;
            this.record = record;
            final SpecificAvroSerializer<SpecificRecord> serializer = new SpecificAvroSerializer<>();
            serializer.configure(configs, false);
            this.javaBytes = serializer.serialize(topic, record);
            deserializer.configure(configs, false);
        }
    }
}
