package org.mlarouter.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.mlarouter.avro.AssistanceRequest;

/**
 * What the deserializer makes of the registry's answers for a writer schema id: only a definite "no such schema" (404,
 * 40403) is the record's fault, and it is remembered, so forged ids cost one registry call each; any other refusal is
 * not the record's fault.
 */
class RegistryRefusalTest {

    /** A registry that answers every schema id with one refusal, counting the calls. */
    private static final class Refusing implements SchemaRegistryClient {
        final AtomicInteger calls = new AtomicInteger();
        final SchemaRegistryException refusal;

        Refusing(final SchemaRegistryException refusal) {
            this.refusal = refusal;
        }

        @Override
        public int register(final String subject, final Schema schema) {
            throw refusal;
        }

        @Override
        public int idOf(final String subject, final Schema schema) {
            throw refusal;
        }

        @Override
        public Schema schemaById(final int id) {
            calls.incrementAndGet();
            throw refusal;
        }

        @Override
        public String describe() {
            return "http://registry.test";
        }
    }

    private static byte[] framed(final int id) {
        final byte[] record = new byte[ConfluentFraming.HEADER_LENGTH + 4];
        ConfluentFraming.writeHeader(record, id);
        return record;
    }

    private static SpecificAvroDeserializer<AssistanceRequest> deserializer(final SchemaRegistryClient registry) {
        return new SpecificAvroDeserializer<>(registry, Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, "http://registry.test",
                AvroSerdeConfig.SPECIFIC_AVRO_VALUE_TYPE_CONFIG, AssistanceRequest.class), false);
    }

    @Test
    void shouldRememberAnUnknownIdSoForgedIdsCostOneCallEach() {
        final Refusing registry = new Refusing(new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema not found"));
        final SpecificAvroDeserializer<AssistanceRequest> deserializer = deserializer(registry);

        for (int i = 0; i < 1_000; i++) {
            final MalformedRecordException unknown = assertThrows(MalformedRecordException.class,
                    () -> deserializer.deserialize("mla.requests", framed(4711)));
            assertEquals(MalformedRecordException.Problem.UNKNOWN_SCHEMA_ID, unknown.problem());
        }
        assertEquals(1, registry.calls.get(), "one registry call for a thousand records with the same forged id");
    }

    @Test
    void shouldNotBlameTheRecordForAnyOtherRefusal() {
        for (final SchemaRegistryException refusal : new SchemaRegistryException[] {
            new SchemaRegistryException(401, 401, "Unauthorized"), new SchemaRegistryException(403, 40301, "Forbidden"),
            new SchemaRegistryException(404, 404, "HTTP 404 Not Found (not a Schema Registry)"), new SchemaRegistryException(422, 42202, "?")}) {
            final Refusing registry = new Refusing(refusal);
            assertThrows(SchemaRegistryUnavailableException.class, () -> deserializer(registry).deserialize("mla.requests", framed(1)),
                    refusal.status() + "/" + refusal.errorCode() + " is not the record's fault");
        }
    }

    @Test
    void shouldShowARefusalUntilTheRegistryAnswersAgain() {
        final long failuresBefore = RegistryHealth.failures();
        final Refusing refusing = new Refusing(new SchemaRegistryException(401, 401, "Unauthorized"));
        assertThrows(SchemaRegistryUnavailableException.class, () -> deserializer(refusing).deserialize("mla.requests", framed(1)));
        final String problem = RegistryHealth.problem().orElseThrow();
        assertTrue(problem.contains("http://registry.test") && problem.contains("Unauthorized"), problem);
        assertEquals(failuresBefore + 1, RegistryHealth.failures());

        // Writing is no different: the schema is the writer's own, so a refusal is never a serialization error.
        final SpecificAvroSerializer<AssistanceRequest> serializer = new SpecificAvroSerializer<>(refusing,
                Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, "http://registry.test"), false);
        assertThrows(SchemaRegistryUnavailableException.class, () -> serializer.serialize("mla.requests", org.mlarouter.testing.Requests
                .mla("r-1", "FR", org.mlarouter.avro.Measure.SERVICE_OF_DOCUMENTS).build()));
        assertEquals(failuresBefore + 2, RegistryHealth.failures());

        RegistryHealth.answered("http://registry.test");
        assertEquals(java.util.Optional.empty(), RegistryHealth.problem(), "over once the registry answers");
    }
}
