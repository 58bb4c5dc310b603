package org.mlarouter.serde;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
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
    private final Map<Schema, AvroBodies.Writer<T>> writerBySchema = new ConcurrentHashMap<>();
    private static final ThreadLocal<byte[]> HEADERS = ThreadLocal.withInitial(() -> new byte[ConfluentFraming.HEADER_LENGTH]);

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
        return serialize(topic, record, -1, null);
    }

    /**
     * Writes {@code record}, its field at {@code position} copied from the bytes it was decoded from ({@code body}) when
     * they encode it under that field's schema (the same Parsing Canonical Form), else encoded as usual: the same bytes
     * either way, and the copy skips encoding what was just decoded (a decision embeds its request).
     */
    public byte[] serialize(final String topic, final T record, final int position, final AvroBody body) {
        if (record == null) {
            return null;
        }
        if (registry == null) {
            throw new IllegalStateException("SpecificAvroSerializer used before configure()");
        }
        final Schema schema = record.getSchema();
        final int id = schemaId(subject(topic, isKey), schema);
        final AvroBodies.Writer<T> writer = writerBySchema.computeIfAbsent(schema, AvroBodies::writer);
        final byte[] header = HEADERS.get();
        ConfluentFraming.writeHeader(header, id);
        try {
            return AvroBodies.encode(writer, record, header, position, body);
        } catch (final IOException | RuntimeException e) {
            throw new SerializationException("Cannot encode a " + schema.getName() + " for " + topic + " with schema id " + id + ": " + e, e);
        }
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
}
