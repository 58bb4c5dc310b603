package org.mlarouter.serde;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.mlarouter.serde.MalformedRecordException.Problem;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Avro specific records in the Confluent Schema Registry framing. The writer schema is fetched by the id in the
 * record and resolved against the reader schema of the generated class, so records written with an older or newer
 * compatible schema decode. The class is the one configured with {@code specific.avro.value.type}, or else the one
 * generated for the writer schema's full name.
 *
 * <p>A null value stays null. Anything else that is not a well-formed framed record fails with a
 * {@link MalformedRecordException} that says what is wrong (too short, wrong magic byte, unknown schema id, a schema that
 * cannot be read as the expected type, a truncated body, trailing bytes), and never quotes the record's content. A
 * registry that cannot be reached fails with {@link SchemaRegistryUnavailableException} instead: the record is not at
 * fault. Thread-safe.
 */
public final class SpecificAvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {

    static {
        AvroLimits.install();
    }

    private SchemaRegistryClient registry;
    private Class<?> expectedType;
    private long outageWaitMs;
    private final Map<Integer, Reading<T>> readingByWriterId = new ConcurrentHashMap<>();

    /** How records of one writer schema id are read: the resolving reader, and the writer schema's fingerprint. */
    private record Reading<T>(SpecificDatumReader<T> reader, long writerFingerprint) {
    }
    private final UnknownIds unknownIds = new UnknownIds();

    public SpecificAvroDeserializer() {
    }

    /** A deserializer over an existing registry client, configured as by {@link #configure}. */
    public SpecificAvroDeserializer(final SchemaRegistryClient registry, final Map<String, ?> configs, final boolean isKey) {
        this(registry, new AvroSerdeConfig(configs), isKey);
    }

    SpecificAvroDeserializer(final SchemaRegistryClient registry, final AvroSerdeConfig config, final boolean isKey) {
        configure(registry, config, isKey);
    }

    @Override
    public void configure(final Map<String, ?> configs, final boolean isKey) {
        final AvroSerdeConfig config = new AvroSerdeConfig(configs);
        configure(config.registryClient(), config, isKey);
    }

    private void configure(final SchemaRegistryClient registry, final AvroSerdeConfig config, final boolean isKey) {
        this.registry = registry;
        this.outageWaitMs = config.outageWaitMs();
        this.expectedType = config.specificType(isKey);
    }

    @Override
    public T deserialize(final String topic, final byte[] data) {
        return data == null ? null : decode(topic, data).value();
    }

    /**
     * Reads a record with the Avro body it came from ({@link AvroBody}), so that a record embedding it can be written
     * by copying those bytes. Fails as {@link #deserialize} does; {@code data} must not be null.
     */
    public Decoded<T> decode(final String topic, final byte[] data) {
        if (registry == null) {
            throw new IllegalStateException("SpecificAvroDeserializer used before configure()");
        }
        if (data.length < ConfluentFraming.HEADER_LENGTH) {
            throw new MalformedRecordException(Problem.TOO_SHORT, "Record on " + topic + " has " + data.length
                    + " bytes, fewer than the " + ConfluentFraming.HEADER_LENGTH + "-byte Confluent Schema Registry header", null);
        }
        if (data[0] != ConfluentFraming.MAGIC_BYTE) {
            throw new MalformedRecordException(Problem.NOT_CONFLUENT_FRAMING, String.format("Record on %s starts with byte"
                    + " 0x%02x, not the magic byte 0x00: it is not in the Confluent Schema Registry framing", topic, data[0] & 0xff), null);
        }
        final int id = ConfluentFraming.schemaId(data);
        final Reading<T> reading = readingOf(id);
        final SpecificDatumReader<T> reader = reading.reader();
        final BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, ConfluentFraming.HEADER_LENGTH,
                data.length - ConfluentFraming.HEADER_LENGTH, null);
        final T record;
        try {
            record = reader.read(null, decoder);
        } catch (final IOException | RuntimeException e) {
            throw new MalformedRecordException(Problem.MALFORMED_BODY, "Record on " + topic + " has an Avro body of " + (data.length - ConfluentFraming.HEADER_LENGTH)
                    + " bytes that does not decode with schema id " + id + " (" + reader.getSchema().getFullName() + "): "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        }
        try {
            if (!decoder.isEnd()) {
                throw new MalformedRecordException(Problem.TRAILING_BYTES, "Record on " + topic + " has bytes left over after"
                        + " its Avro body (schema id " + id + "): the record is corrupt or was written with another schema", null);
            }
        } catch (final IOException e) {
            throw new MalformedRecordException(Problem.MALFORMED_BODY, "Record on " + topic + " cannot be checked for trailing bytes: " + e, e);
        }
        return new Decoded<>(record, new AvroBody(record, data, ConfluentFraming.HEADER_LENGTH, data.length - ConfluentFraming.HEADER_LENGTH,
                reading.writerFingerprint()));
    }

    /** The writer schema; while the registry cannot be reached, retries with backoff for up to the outage wait. */
    private Schema schemaWaitingOutOutages(final int id) {
        final long deadline = outageWaitMs >= Long.MAX_VALUE / 2 ? Long.MAX_VALUE : System.currentTimeMillis() + outageWaitMs;
        long backoffMs = 100;
        while (true) {
            try {
                final Schema schema = registry.schemaById(id);
                RegistryHealth.answered(registry.describe());
                return schema;
            } catch (final SchemaRegistryUnavailableException e) {
                // Said once, when the trouble starts (RegistryHealth), not at every attempt.
                RegistryHealth.failed(registry.describe(), e.getMessage());
                final long now = System.currentTimeMillis();
                if (now >= deadline) {
                    throw e;
                }
                try {
                    // Backing off between attempts is the point here: the registry is down.
                    Thread.sleep(Math.min(backoffMs, deadline - now));
                } catch (final InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                backoffMs = Math.min(backoffMs * 2, 5_000);
            }
        }
    }

    @SuppressWarnings("unchecked")
    /**
     * The reader of a writer schema id: cached once found; an id the registry said it does not know is remembered for
     * {@link UnknownIds#REMEMBERED} in a bounded set, so a burst of forged ids costs one registry call each, not one per
     * record. No lock is held while the registry is asked.
     */
    private Reading<T> readingOf(final int id) {
        final Reading<T> cached = readingByWriterId.get(id);
        if (cached != null) {
            return cached;
        }
        if (unknownIds.contains(id)) {
            throw new MalformedRecordException(Problem.UNKNOWN_SCHEMA_ID, "Schema id " + id + " is not known to the Schema Registry at "
                    + registry.describe() + " (asked less than " + UnknownIds.REMEMBERED.toSeconds() + " s ago)", null);
        }
        final SpecificDatumReader<T> reader = readerFor(id);
        // The fingerprint once per schema id: an agency's schema may carry properties (Confluent's Java serializer adds
        // avro.java.string), and comparing whole schemas per record cost 11 % of the router's CPU.
        final Reading<T> reading = new Reading<>(reader, AvroBody.fingerprint(reader.getSchema()));
        final Reading<T> raced = readingByWriterId.putIfAbsent(id, reading);
        return raced != null ? raced : reading;
    }

    private SpecificDatumReader<T> readerFor(final int id) {
        final Schema writer;
        try {
            writer = schemaWaitingOutOutages(id);
        } catch (final SchemaRegistryException e) {
            if (e.status() != 404 || e.errorCode() != SchemaRegistryException.SCHEMA_NOT_FOUND) {
                // Only a definite "this id does not exist" is the record's fault; a refusal (credentials, a server
                // error, another server at the URL) is not, so the record must not be dead-lettered for it.
                final SchemaRegistryUnavailableException notTheRecords = new SchemaRegistryUnavailableException("The Schema Registry at "
                        + registry.describe() + " refused to give schema id " + id + ": " + e.getMessage(), e);
                RegistryHealth.failed(registry.describe(), notTheRecords.getMessage());
                throw notTheRecords;
            }
            RegistryHealth.answered(registry.describe());
            unknownIds.add(id);
            throw new MalformedRecordException(Problem.UNKNOWN_SCHEMA_ID, "Schema id " + id + " is not known to the Schema"
                    + " Registry at " + registry.describe() + ": " + e.getMessage(), e);
        }
        final Class<?> type;
        try {
            type = expectedType != null ? expectedType : GeneratedClasses.classOf(writer);
        } catch (final SecurityException e) {
            throw new MalformedRecordException(Problem.WRONG_SCHEMA, "Schema id " + id + " describes " + writer.getFullName()
                    + ", a class Avro is not allowed to load here", null);
        }
        if (type == null || !SpecificRecord.class.isAssignableFrom(type)) {
            throw new MalformedRecordException(Problem.WRONG_SCHEMA, "Schema id " + id + " describes " + writer.getFullName()
                    + ", which has no generated class here", null);
        }
        final SpecificData model = GeneratedClasses.modelOf(type);
        final Schema reader = model.getSchema(type);
        final SchemaCompatibility.SchemaPairCompatibility compatibility =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            throw new MalformedRecordException(Problem.WRONG_SCHEMA, "Schema id " + id + " (" + writer.getFullName() + ") cannot be read as "
                    + reader.getFullName() + ": " + compatibility.getResult().getIncompatibilities().stream()
                    .map(incompatibility -> incompatibility.getType() + " at " + incompatibility.getLocation())
                    .reduce((a, b) -> a + "; " + b).orElse(compatibility.getDescription()), null);
        }
        return new SpecificDatumReader<>(writer, reader, model);
    }
}
