package org.mlarouter.serde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mlarouter.avro.AssistanceRequest;
import org.mlarouter.avro.Measure;
import org.mlarouter.avro.TreatyCoverage;
import org.mlarouter.testing.OtherWriters;
import org.mlarouter.testing.Requests;
import org.mlarouter.treaty.TreatyTable;

class SpecificAvroSerdeTest {

    private static final String TOPIC = "mla.requests";
    private final String scope = "serde-test-" + UUID.randomUUID();
    private final InMemorySchemaRegistry registry = MockSchemaRegistry.forScope(scope);
    private final AssistanceRequest request = Requests.transfer("r-1", "UZ").build();

    @AfterEach
    void dropScope() {
        MockSchemaRegistry.dropScope(scope);
    }

    private Map<String, Object> configs(final Object... keyValues) {
        final Map<String, Object> configs = new HashMap<>();
        configs.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://" + scope);
        for (int i = 0; i < keyValues.length; i += 2) {
            configs.put((String) keyValues[i], keyValues[i + 1]);
        }
        return configs;
    }

    private SpecificAvroSerde<AssistanceRequest> serde(final Object... keyValues) {
        final SpecificAvroSerde<AssistanceRequest> serde = new SpecificAvroSerde<>();
        serde.configure(configs(keyValues), false);
        return serde;
    }

    @Test
    void shouldFrameWithMagicByteBigEndianIdAndThePlainAvroBody() throws Exception {
        final byte[] framed = serde().serializer().serialize(TOPIC, request);

        final int id = registry.idOf("mla.requests-value", JavaProperties.remove(AssistanceRequest.getClassSchema()));
        assertEquals(0x00, framed[0]);
        assertArrayEquals(new byte[] {(byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id}, Arrays.copyOfRange(framed, 1, 5));
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(body, null);
        new SpecificDatumWriter<>(AssistanceRequest.class).write(request, encoder);
        encoder.flush();
        assertArrayEquals(body.toByteArray(), Arrays.copyOfRange(framed, 5, framed.length));
    }

    @Test
    void shouldRoundTripAndRegisterUnderTheTopicNameStrategySubject() {
        final SpecificAvroSerde<AssistanceRequest> serde = serde();

        final AssistanceRequest decoded = serde.deserializer().deserialize(TOPIC, serde.serializer().serialize(TOPIC, request));

        assertEquals(request, decoded);
        assertEquals(java.util.List.of("mla.requests-value"), registry.subjects());
        assertFalse(registry.version("mla.requests-value", -1).schema().toString().contains("avro.java.string"),
                "schemas are registered as agencies register them from the .avsc files");
    }

    @Test
    void shouldKeepNullsNull() {
        final SpecificAvroSerde<AssistanceRequest> serde = serde();

        assertNull(serde.serializer().serialize(TOPIC, null));
        assertNull(serde.deserializer().deserialize(TOPIC, null));
    }

    @Test
    void shouldAskTheRegistryOnceForEachSchema() {
        final AtomicInteger registrations = new AtomicInteger();
        final SchemaRegistryClient counting = new CountingClient(registry, registrations);
        final SpecificAvroSerializer<AssistanceRequest> serializer = new SpecificAvroSerializer<>(counting, configs(), false);

        for (int i = 0; i < 100; i++) {
            serializer.serialize(TOPIC, Requests.mla("r-" + i, "FR", Measure.SEARCH).build());
        }

        assertEquals(1, registrations.get());
    }

    @Test
    void shouldNotRegisterWhenAutoRegistrationIsOff() {
        final SpecificAvroSerde<AssistanceRequest> strict = serde(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG, "false");

        // Not a SerializationException: the record is not at fault, so it must not be dead-lettered.
        final SchemaRegistryUnavailableException error = assertThrows(SchemaRegistryUnavailableException.class,
                () -> strict.serializer().serialize(TOPIC, request));
        assertTrue(error.getMessage().contains("refused to find the schema of org.mlarouter.avro.AssistanceRequest under subject mla.requests-value"),
                error.getMessage());

        serde().serializer().serialize(TOPIC, request);
        assertEquals(request, strict.deserializer().deserialize(TOPIC, strict.serializer().serialize(TOPIC, request)));
    }

    @Test
    void shouldReadARecordWrittenWithAnOlderSchemaThatLacksAnOptionalField() throws Exception {
        final Schema older = OtherWriters.editedRequestSchema(fields -> OtherWriters.removeField(fields, "sentencedPerson"));
        final AssistanceRequest mla = Requests.mla("r-2", "FR", Measure.SEARCH).build();

        final AssistanceRequest decoded = serde().deserializer().deserialize(TOPIC, OtherWriters.frame(registry, "mla.requests-value", older, mla));

        assertEquals(mla, decoded);
    }

    @Test
    void shouldReadARecordWrittenWithANewerSchemaThatAddsAField() throws Exception {
        final Schema newer = OtherWriters.editedRequestSchema(fields -> fields.addObject().put("name", "channel")
                .put("type", "string").put("default", "email"));

        final AssistanceRequest decoded = serde().deserializer().deserialize(TOPIC, OtherWriters.frame(registry, "mla.requests-value", newer, request));

        assertEquals(request, decoded);
    }

    @Test
    void shouldRejectAWrongMagicByte() {
        final byte[] framed = serde().serializer().serialize(TOPIC, request);
        framed[0] = 0x7b;

        assertProblem(MalformedRecordException.Problem.NOT_CONFLUENT_FRAMING, framed,
                "Record on mla.requests starts with byte 0x7b, not the magic byte 0x00: it is not in the Confluent Schema Registry framing");
    }

    @Test
    void shouldRejectARecordShorterThanTheHeader() {
        assertProblem(MalformedRecordException.Problem.TOO_SHORT, new byte[] {0, 0, 1},
                "Record on mla.requests has 3 bytes, fewer than the 5-byte Confluent Schema Registry header");
    }

    @Test
    void shouldRejectAnUnknownSchemaId() {
        final byte[] framed = serde().serializer().serialize(TOPIC, request);
        ConfluentFraming.writeHeader(framed, 4242);

        assertProblem(MalformedRecordException.Problem.UNKNOWN_SCHEMA_ID, framed,
                "Schema id 4242 is not known to the Schema Registry at mock://" + scope + ": Schema 4242 not found");
    }

    @Test
    void shouldRejectATruncatedBodyWithoutQuotingIt() {
        final byte[] framed = serde().serializer().serialize(TOPIC, request);
        final byte[] truncated = Arrays.copyOf(framed, framed.length - 30);

        final MalformedRecordException error = assertProblem(MalformedRecordException.Problem.MALFORMED_BODY, truncated, null);
        assertFalse(error.getMessage().contains("Secretname"), error.getMessage());
    }

    @Test
    void shouldRejectTrailingBytes() {
        final byte[] framed = serde().serializer().serialize(TOPIC, request);

        assertProblem(MalformedRecordException.Problem.TRAILING_BYTES, Arrays.copyOf(framed, framed.length + 3), null);
    }

    @Test
    void shouldRejectARecordOfAnotherTypeWhenTheTypeIsConfigured() {
        final SpecificAvroSerde<TreatyCoverage> coverageSerde = new SpecificAvroSerde<>();
        coverageSerde.configure(configs(), false);
        final byte[] coverage = coverageSerde.serializer().serialize("mla.treaties", TreatyTable.shipped("KZ").all().get(0));
        final SpecificAvroDeserializer<AssistanceRequest> requests = new SpecificAvroDeserializer<>();
        requests.configure(configs(AvroSerdeConfig.SPECIFIC_AVRO_VALUE_TYPE_CONFIG, AssistanceRequest.class.getName()), false);

        final MalformedRecordException error = assertThrows(MalformedRecordException.class, () -> requests.deserialize(TOPIC, coverage));

        assertEquals(MalformedRecordException.Problem.WRONG_SCHEMA, error.problem());
        assertTrue(error.getMessage().startsWith("Schema id 1 (org.mlarouter.avro.TreatyCoverage) cannot be read as org.mlarouter.avro.AssistanceRequest"),
                error.getMessage());
    }

    /** Avro 1.12.2 (AVRO-4189): a writer schema that names a class outside the contract's generated ones is refused, not loaded. */
    @Test
    void shouldRefuseAWriterSchemaNamingAClassOutsideTheContract() {
        final Schema hostile = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"ProcessBuilder\",\"namespace\":\"java.lang\","
                + "\"fields\":[{\"name\":\"command\",\"type\":\"string\"}]}");
        final int id = registry.register("hostile-value", hostile);
        final byte[] framed = {0, (byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id, 2, 'l', 's'};
        final SpecificAvroDeserializer<org.apache.avro.specific.SpecificRecord> untyped = new SpecificAvroDeserializer<>();
        untyped.configure(configs(), false);

        final MalformedRecordException error = assertThrows(MalformedRecordException.class, () -> untyped.deserialize(TOPIC, framed));

        assertEquals(MalformedRecordException.Problem.WRONG_SCHEMA, error.problem());
        assertEquals("Schema id " + id + " describes java.lang.ProcessBuilder, a class Avro is not allowed to load here", error.getMessage());
        assertEquals(request, untyped.deserialize(TOPIC, serde().serializer().serialize(TOPIC, request)), "the contract's own classes still load");
    }

    @Test
    void shouldKeepScopesApart() {
        final byte[] framed = serde().serializer().serialize(TOPIC, request);
        final String otherScope = scope + "-other";
        final SpecificAvroDeserializer<AssistanceRequest> other = new SpecificAvroDeserializer<>();
        other.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://" + otherScope), false);
        try {
            assertThrows(MalformedRecordException.class, () -> other.deserialize(TOPIC, framed));
        } finally {
            MockSchemaRegistry.dropScope(otherScope);
        }
    }

    @Test
    void shouldRequireARegistryUrl() {
        final SpecificAvroSerde<AssistanceRequest> serde = new SpecificAvroSerde<>();

        final org.apache.kafka.common.config.ConfigException error = assertThrows(org.apache.kafka.common.config.ConfigException.class,
                () -> serde.configure(Map.of(), false));

        assertTrue(error.getMessage().contains("schema.registry.url"), error.getMessage());
    }

    private MalformedRecordException assertProblem(final MalformedRecordException.Problem problem, final byte[] data, final String message) {
        final MalformedRecordException error = assertThrows(MalformedRecordException.class,
                () -> serde().deserializer().deserialize(TOPIC, data));
        assertEquals(problem, error.problem(), error.getMessage());
        if (message != null) {
            assertEquals(message, error.getMessage());
        }
        return error;
    }

    private static final class CountingClient implements SchemaRegistryClient {
        private final SchemaRegistryClient delegate;
        private final AtomicInteger registrations;

        CountingClient(final SchemaRegistryClient delegate, final AtomicInteger registrations) {
            this.delegate = delegate;
            this.registrations = registrations;
        }

        @Override
        public int register(final String subject, final Schema schema) {
            registrations.incrementAndGet();
            return delegate.register(subject, schema);
        }

        @Override
        public int idOf(final String subject, final Schema schema) {
            return delegate.idOf(subject, schema);
        }

        @Override
        public Schema schemaById(final int id) {
            return delegate.schemaById(id);
        }

        @Override
        public String describe() {
            return delegate.describe();
        }
    }
}
