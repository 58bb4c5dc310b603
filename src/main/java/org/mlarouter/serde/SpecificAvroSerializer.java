package org.mlarouter.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro specific records in the Confluent Schema Registry framing, under the subject {@code <topic>-value} (or
 * {@code -key}) of the TopicNameStrategy. With {@code auto.register.schemas=true} (the default) the record's schema is
 * registered if the subject lacks it; otherwise it must already be there. Ids are cached per subject and schema.
 * Thread-safe: one instance serves every stream thread.
 */
public final class SpecificAvroSerializer<T extends SpecificRecord> implements Serializer<T> {

    private SchemaRegistryClient registry;
    private boolean autoRegister;
    private boolean removeJavaProperties;
    private boolean isKey;
    private final Map<Schema, Schema> registeredFormOfSchema = new ConcurrentHashMap<>();
    private final Map<String, Map<Schema, Integer>> idBySubjectAndSchema = new ConcurrentHashMap<>();
    private final Map<Schema, SpecificDatumWriter<T>> writerBySchema = new ConcurrentHashMap<>();
    /** One growing buffer and encoder per thread: a decision is written without regrowing a fresh buffer each time. */
    private final ThreadLocal<ReusableOutput> outputs = ThreadLocal.withInitial(ReusableOutput::new);

    public SpecificAvroSerializer() {
    }

    /** A serializer over an existing registry client, configured as by {@link #configure}. */
    public SpecificAvroSerializer(final SchemaRegistryClient registry, final Map<String, ?> configs, final boolean isKey) {
        this(registry, new AvroSerdeConfig(configs), isKey);
    }

    SpecificAvroSerializer(final SchemaRegistryClient registry, final AvroSerdeConfig config, final boolean isKey) {
        configure(registry, config, isKey);
    }

    @Override
    public void configure(final Map<String, ?> configs, final boolean isKey) {
        final AvroSerdeConfig config = new AvroSerdeConfig(configs);
        configure(config.registryClient(), config, isKey);
    }

    private void configure(final SchemaRegistryClient registry, final AvroSerdeConfig config, final boolean isKey) {
        this.registry = registry;
        this.autoRegister = config.autoRegisterSchemas();
        this.removeJavaProperties = config.removeJavaProperties();
        this.isKey = isKey;
    }

    @Override
    public byte[] serialize(final String topic, final T record) {
        if (record == null) {
            return null;
        }
        if (registry == null) {
            throw new IllegalStateException("SpecificAvroSerializer used before configure()");
        }
        final Schema schema = record.getSchema();
        final int id = schemaId(subject(topic, isKey), schema);
        final SpecificDatumWriter<T> writer = writerBySchema.computeIfAbsent(schema, this::writerFor);
        final ReusableOutput output = outputs.get();
        output.bytes.reset();
        final byte[] header = output.header;
        ConfluentFraming.writeHeader(header, id);
        output.bytes.writeBytes(header);
        try {
            output.encoder = EncoderFactory.get().directBinaryEncoder(output.bytes, output.encoder);
            writer.write(record, output.encoder);
            output.encoder.flush();
        } catch (final IOException | RuntimeException e) {
            throw new SerializationException("Cannot encode a " + schema.getName() + " for " + topic + " with schema id " + id + ": " + e, e);
        }
        return output.bytes.toByteArray();
    }

    /** A thread's buffer and encoder, reused from record to record. */
    private static final class ReusableOutput {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
        final byte[] header = new byte[ConfluentFraming.HEADER_LENGTH];
        BinaryEncoder encoder;
    }

    /** The TopicNameStrategy subject. */
    static String subject(final String topic, final boolean isKey) {
        return topic + (isKey ? "-key" : "-value");
    }

    private int schemaId(final String subject, final Schema schema) {
        final Map<Schema, Integer> ids = idBySubjectAndSchema.computeIfAbsent(subject, ignored -> new ConcurrentHashMap<>());
        final Integer cached = ids.get(schema);
        if (cached != null) {
            return cached;
        }
        final Schema registeredForm = registeredFormOfSchema.computeIfAbsent(schema,
                candidate -> removeJavaProperties ? JavaProperties.remove(candidate) : candidate);
        final int id;
        try {
            id = autoRegister ? registry.register(subject, registeredForm) : registry.idOf(subject, registeredForm);
            RegistryHealth.answered(registry.describe());
        } catch (final SchemaRegistryException e) {
            // The schema is the writer's own, not the record's: a refusal (credentials, an incompatible subject, another
            // server at the URL) is never the record's fault, so it is not a serialization error that could dead-letter it.
            final SchemaRegistryUnavailableException notTheRecords = new SchemaRegistryUnavailableException("The Schema Registry at "
                    + registry.describe() + " refused to " + (autoRegister ? "register" : "find") + " the schema of " + schema.getFullName()
                    + " under subject " + subject + ": " + e.getMessage(), e);
            RegistryHealth.failed(registry.describe(), notTheRecords.getMessage());
            throw notTheRecords;
        } catch (final SchemaRegistryUnavailableException e) {
            RegistryHealth.failed(registry.describe(), e.getMessage());
            throw e;
        }
        ids.put(schema, id);
        return id;
    }

    @SuppressWarnings("unchecked")
    private SpecificDatumWriter<T> writerFor(final Schema schema) {
        final Class<?> type = org.apache.avro.specific.SpecificData.get().getClass(schema);
        org.apache.avro.specific.SpecificData model = org.apache.avro.specific.SpecificData.get();
        if (type != null && SpecificRecordBase.class.isAssignableFrom(type)) {
            model = org.apache.avro.specific.SpecificData.getForClass((Class<T>) type);
        }
        return new SpecificDatumWriter<>(schema, model) {
            @Override
            protected void writeField(final Object datum, final Schema.Field field, final Encoder out, final Object state) throws IOException {
                // A decision's request, embedded as decoded: its original bytes, not a second encoding (RawBodies).
                if (field.schema().getType() != Schema.Type.RECORD
                        || !RawBodies.writeIfDecodedAs(getData().getField(datum, field.name(), field.pos()), field.schema(), out)) {
                    super.writeField(datum, field, out, state);
                }
            }
        };
    }
}
