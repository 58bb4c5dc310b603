package org.mlarouter.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.mlarouter.avro.AssistanceRequest;
import org.mlarouter.serde.ConfluentFraming;
import org.mlarouter.serde.SchemaRegistryClient;

/** Requests as another writer would send them: with an edited schema, in the Confluent framing. */
public final class OtherWriters {

    private OtherWriters() {
    }

    /** The request schema as an agency has it from the .avsc files (no Java-only properties), with its fields edited. */
    public static Schema editedRequestSchema(final Consumer<ArrayNode> editFields) {
        try {
            final String agencySchema = AssistanceRequest.getClassSchema().toString().replace(",\"avro.java.string\":\"String\"", "");
            final ObjectNode tree = (ObjectNode) new ObjectMapper().readTree(agencySchema);
            editFields.accept((ArrayNode) tree.get("fields"));
            return new Schema.Parser().parse(tree.toString());
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes a field by name. */
    public static void removeField(final ArrayNode fields, final String name) {
        for (int i = 0; i < fields.size(); i++) {
            if (name.equals(fields.get(i).get("name").asText())) {
                fields.remove(i);
                return;
            }
        }
        throw new IllegalArgumentException(name);
    }

    /**
     * A request framed with {@code writerSchema}, registered under {@code subject}: the request's fields copied by name,
     * fields it lacks taking their default.
     */
    public static byte[] frame(final SchemaRegistryClient registry, final String subject, final Schema writerSchema,
                               final AssistanceRequest source) {
        final GenericData.Record record = new GenericData.Record(writerSchema);
        for (final Schema.Field field : writerSchema.getFields()) {
            final Schema.Field sourceField = source.getSchema().getField(field.name());
            record.put(field.pos(), sourceField != null ? source.get(sourceField.pos()) : field.defaultVal());
        }
        final int id = registry.register(subject, writerSchema);
        try {
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            final byte[] header = new byte[ConfluentFraming.HEADER_LENGTH];
            ConfluentFraming.writeHeader(header, id);
            out.write(header);
            final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new GenericDatumWriter<GenericData.Record>(writerSchema, SpecificData.getForClass(AssistanceRequest.class)).write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
