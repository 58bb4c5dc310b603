package org.mlarouter.json;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.mlarouter.serde.GeneratedClasses;

/**
 * The JSON form of docs/contract.md for Avro specific records: one object per record, keys exactly the Avro field names,
 * enum values as their symbols, {@code timestamp-millis} as ISO-8601 strings (epoch milliseconds accepted on input),
 * {@code date} as ISO dates, optional fields as a plain value or null (not Avro's tagged union encoding).
 *
 * <p>Reading is strict: an unknown key, a missing required field, an unknown enum symbol or a value of the wrong type
 * fails with a {@link JsonFormatException} whose message names the field by its path ({@code $.offence.category}).
 */
public final class AvroJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = Json.MAPPER;

    private AvroJson() {
    }

    /** Parses one JSON text into a record of the given generated class. */
    public static <T extends SpecificRecord> T parse(final String json, final Class<T> type) {
        final JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (final JsonProcessingException e) {
            throw new JsonFormatException("$", "is not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || node.isMissingNode()) {
            throw new JsonFormatException("$", "is empty");
        }
        return fromJson(node, type);
    }

    /** Converts a JSON tree into a record of the given generated class. */
    public static <T extends SpecificRecord> T fromJson(final JsonNode node, final Class<T> type) {
        final SpecificData model = GeneratedClasses.modelOf(type);
        final Schema schema = model.getSchema(type);
        return type.cast(read(node, schema, "$", model));
    }

    /** The JSON tree of a record. */
    public static ObjectNode toJson(final SpecificRecord record) {
        return (ObjectNode) write(record, record.getSchema());
    }

    /** The single-line JSON text of a record. */
    public static String toJsonLine(final SpecificRecord record) {
        return toJson(record).toString();
    }

    private static Object read(final JsonNode node, final Schema schema, final String path, final SpecificData model) {
        if (node == null || node.isMissingNode()) {
            if (acceptsNull(schema)) {
                return null;
            }
            throw new JsonFormatException(path, "is required");
        }
        switch (schema.getType()) {
            case RECORD:
                return readRecord(node, schema, path, model);
            case ENUM:
                if (!node.isTextual()) {
                    throw new JsonFormatException(path, "must be one of " + schema.getEnumSymbols());
                }
                if (!schema.hasEnumSymbol(node.textValue())) {
                    throw new JsonFormatException(path, "unknown symbol '" + node.textValue() + "' of " + schema.getName()
                            + "; expected one of " + schema.getEnumSymbols());
                }
                return model.createEnum(node.textValue(), schema);
            case ARRAY:
                if (!node.isArray()) {
                    throw new JsonFormatException(path, "must be an array");
                }
                final List<Object> items = new ArrayList<>(node.size());
                for (int i = 0; i < node.size(); i++) {
                    items.add(read(node.get(i), schema.getElementType(), path + "[" + i + "]", model));
                }
                return items;
            case UNION:
                return readUnion(node, schema, path, model);
            case STRING:
                if (!node.isTextual()) {
                    throw new JsonFormatException(path, "must be a string");
                }
                return node.textValue();
            case BOOLEAN:
                if (!node.isBoolean()) {
                    throw new JsonFormatException(path, "must be true or false");
                }
                return node.booleanValue();
            case INT:
                return readInt(node, schema, path);
            case LONG:
                return readLong(node, schema, path);
            case DOUBLE:
            case FLOAT:
                if (!node.isNumber()) {
                    throw new JsonFormatException(path, "must be a number");
                }
                return schema.getType() == Schema.Type.DOUBLE ? (Object) node.doubleValue() : (Object) node.floatValue();
            case NULL:
                if (!node.isNull()) {
                    throw new JsonFormatException(path, "must be null");
                }
                return null;
            default:
                throw new JsonFormatException(path, "has Avro type " + schema.getType() + ", which the JSON form does not support");
        }
    }

    private static Object readRecord(final JsonNode node, final Schema schema, final String path, final SpecificData model) {
        if (!node.isObject()) {
            throw new JsonFormatException(path, "must be an object (" + schema.getName() + ")");
        }
        final Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            final String name = names.next();
            if (schema.getField(name) == null) {
                throw new JsonFormatException(path + "." + name, "is not a field of " + schema.getName());
            }
        }
        final Object record = model.newRecord(null, schema);
        for (final Schema.Field field : schema.getFields()) {
            final JsonNode value = node.get(field.name());
            final String fieldPath = path + "." + field.name();
            final Object converted = value == null && field.hasDefaultValue() && acceptsNull(field.schema())
                    ? null
                    : read(value == null ? MissingNode.getInstance() : value,
                    field.schema(), fieldPath, model);
            model.setField(record, field.name(), field.pos(), converted);
        }
        return record;
    }

    private static Object readUnion(final JsonNode node, final Schema schema, final String path, final SpecificData model) {
        if (node.isNull()) {
            if (acceptsNull(schema)) {
                return null;
            }
            throw new JsonFormatException(path, "must not be null");
        }
        JsonFormatException last = null;
        for (final Schema branch : schema.getTypes()) {
            if (branch.getType() == Schema.Type.NULL) {
                continue;
            }
            try {
                return read(node, branch, path, model);
            } catch (final JsonFormatException e) {
                last = e;
            }
        }
        throw last != null ? last : new JsonFormatException(path, "matches no branch of " + schema);
    }

    private static Object readInt(final JsonNode node, final Schema schema, final String path) {
        final LogicalType logicalType = schema.getLogicalType();
        if (logicalType != null && "date".equals(logicalType.getName())) {
            if (node.isTextual()) {
                try {
                    return LocalDate.parse(node.textValue());
                } catch (final DateTimeParseException e) {
                    throw new JsonFormatException(path, "must be an ISO date such as 2015-02-20");
                }
            }
            if (node.canConvertToInt() && node.isIntegralNumber()) {
                return LocalDate.ofEpochDay(node.intValue());
            }
            throw new JsonFormatException(path, "must be an ISO date such as 2015-02-20");
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw new JsonFormatException(path, "must be a whole number within the range of an int");
        }
        return node.intValue();
    }

    private static Object readLong(final JsonNode node, final Schema schema, final String path) {
        final LogicalType logicalType = schema.getLogicalType();
        if (logicalType != null && "timestamp-millis".equals(logicalType.getName())) {
            if (node.isTextual()) {
                try {
                    return Instant.parse(node.textValue());
                } catch (final DateTimeParseException e) {
                    throw new JsonFormatException(path, "must be an ISO-8601 instant such as 2026-11-23T10:15:30Z"
                            + " or epoch milliseconds");
                }
            }
            if (node.isIntegralNumber() && node.canConvertToLong()) {
                return Instant.ofEpochMilli(node.longValue());
            }
            throw new JsonFormatException(path, "must be an ISO-8601 instant such as 2026-11-23T10:15:30Z or epoch milliseconds");
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new JsonFormatException(path, "must be a whole number");
        }
        return node.longValue();
    }

    private static boolean acceptsNull(final Schema schema) {
        if (schema.getType() == Schema.Type.NULL) {
            return true;
        }
        return schema.getType() == Schema.Type.UNION
                && schema.getTypes().stream().anyMatch(branch -> branch.getType() == Schema.Type.NULL);
    }

    private static JsonNode write(final Object value, final Schema schema) {
        if (value == null) {
            return NODES.nullNode();
        }
        switch (schema.getType()) {
            case RECORD:
                final ObjectNode object = NODES.objectNode();
                final SpecificRecord record = (SpecificRecord) value;
                for (final Schema.Field field : schema.getFields()) {
                    object.set(field.name(), write(record.get(field.pos()), field.schema()));
                }
                return object;
            case ENUM:
                return NODES.textNode(value.toString());
            case ARRAY:
                final ArrayNode array = NODES.arrayNode();
                for (final Object item : (List<?>) value) {
                    array.add(write(item, schema.getElementType()));
                }
                return array;
            case UNION:
                for (final Schema branch : schema.getTypes()) {
                    if (branch.getType() != Schema.Type.NULL) {
                        return write(value, branch);
                    }
                }
                return NODES.nullNode();
            case STRING:
                return NODES.textNode(value.toString());
            case BOOLEAN:
                return NODES.booleanNode((Boolean) value);
            case INT:
                return value instanceof LocalDate ? NODES.textNode(value.toString()) : NODES.numberNode((Integer) value);
            case LONG:
                return value instanceof Instant ? NODES.textNode(value.toString()) : NODES.numberNode((Long) value);
            case DOUBLE:
                return NODES.numberNode((Double) value);
            case FLOAT:
                return NODES.numberNode((Float) value);
            case MAP:
                final ObjectNode map = NODES.objectNode();
                for (final Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                    map.set(entry.getKey().toString(), write(entry.getValue(), schema.getValueType()));
                }
                return map;
            default:
                throw new IllegalArgumentException("Avro type " + schema.getType() + " has no JSON form here");
        }
    }
}
