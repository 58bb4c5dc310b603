package org.mlarouter.json;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The one Jackson mapper of the router's HTTP answers, its stores' JSON, its tools and clients (the serde package, below
 * this one, keeps its own). Thread-safe once configured.
 * It ignores properties it does not know, so that answers and bodies can gain fields without breaking their readers.
 */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private Json() {
    }

    /** Confluent's error body, which every HTTP answer of the router uses: {@code {"error_code": code, "message": ...}}. */
    public static ObjectNode error(final int code, final String message) {
        return object().put("error_code", code).put("message", message);
    }

    /** A new, empty JSON object. */
    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }
}
