package org.mlarouter.serde;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.Schema;

/**
 * Removes the Java-only schema properties ({@code avro.java.string}) that avro-maven-plugin writes into generated
 * classes. Registered without them, a schema is the one agencies register from the {@code .avsc} files with Python,
 * Go or .NET clients, so all of them share one schema id and write identical bytes.
 */
final class JavaProperties {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String JAVA_STRING = "avro.java.string";

    private JavaProperties() {
    }

    static Schema remove(final Schema schema) {
        final String text = schema.toString();
        if (!text.contains(JAVA_STRING)) {
            return schema;
        }
        try {
            final JsonNode tree = MAPPER.readTree(text);
            return new Schema.Parser().parse(strip(tree).toString());
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode strip(final JsonNode node) {
        if (node.isObject()) {
            final ObjectNode object = (ObjectNode) node;
            object.remove(JAVA_STRING);
            object.properties().forEach(entry -> entry.setValue(strip(entry.getValue())));
            // {"type":"string"} with nothing else left is the primitive "string".
            if (object.size() == 1 && object.has("type") && object.get("type").isTextual()
                    && isPrimitive(object.get("type").textValue())) {
                return object.get("type");
            }
            return object;
        }
        if (node.isArray()) {
            final ArrayNode array = (ArrayNode) node;
            for (int i = 0; i < array.size(); i++) {
                array.set(i, strip(array.get(i)));
            }
        }
        return node;
    }

    private static boolean isPrimitive(final String type) {
        switch (type) {
            case "null":
            case "boolean":
            case "int":
            case "long":
            case "float":
            case "double":
            case "bytes":
            case "string":
                return true;
            default:
                return false;
        }
    }
}
