package org.mlarouter.serde;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;

/**
 * The configuration keys of the Confluent-framed Avro serde. The names are those of Confluent's own serializers, so
 * one configuration serves either implementation.
 */
public final class AvroSerdeConfig {

    /** Comma-separated Schema Registry URLs, or {@code mock://<scope>} for an in-memory registry. Required. */
    public static final String SCHEMA_REGISTRY_URL_CONFIG = "schema.registry.url";
    /** Whether the serializer registers a record's schema if the subject lacks it (default true). */
    public static final String AUTO_REGISTER_SCHEMAS_CONFIG = "auto.register.schemas";
    /** Whether the schema is registered without Java-only properties such as {@code avro.java.string} (default true here). */
    public static final String REMOVE_JAVA_PROPERTIES_CONFIG = "avro.remove.java.properties";
    /** Fully qualified class of the records a value deserializer must produce; others fail to decode. */
    public static final String SPECIFIC_AVRO_VALUE_TYPE_CONFIG = "specific.avro.value.type";
    /** How long one Schema Registry request may take, in milliseconds (default 10000). */
    public static final String REQUEST_TIMEOUT_MS_CONFIG = "schema.registry.request.timeout.ms";
    /**
     * How long, in milliseconds, a deserializer waits for an unreachable Schema Registry before it fails (default 0:
     * fail at once). The router sets it without limit for the treaty topic, read by Kafka Streams' global thread, which
     * cannot be replaced if it fails: the thread waits out the outage instead.
     */
    public static final String OUTAGE_WAIT_MS_CONFIG = "schema.registry.outage.wait.ms";
    /** {@code USER_INFO} to send HTTP basic authentication from {@link #USER_INFO_CONFIG}. */
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG = "basic.auth.credentials.source";
    /** {@code user:password} for HTTP basic authentication. */
    public static final String USER_INFO_CONFIG = "basic.auth.user.info";

    private AvroSerdeConfig() {
    }

    /** A registry client for the configured URL: in-memory for {@code mock://}, HTTP otherwise. */
    public static SchemaRegistryClient registryClient(final Map<String, ?> configs) {
        final Object url = configs.get(SCHEMA_REGISTRY_URL_CONFIG);
        if (url == null || url.toString().isBlank()) {
            throw new ConfigException(SCHEMA_REGISTRY_URL_CONFIG, url, "a Schema Registry URL is required");
        }
        final String urls = url.toString().trim();
        if (urls.startsWith(MockSchemaRegistry.SCHEME)) {
            return MockSchemaRegistry.forScope(urls.substring(MockSchemaRegistry.SCHEME.length()));
        }
        final List<URI> baseUris = new ArrayList<>();
        for (final String part : urls.split(",")) {
            final URI uri;
            try {
                uri = URI.create(part.trim());
            } catch (final IllegalArgumentException e) {
                throw new ConfigException(SCHEMA_REGISTRY_URL_CONFIG, url, "not a URL: " + e.getMessage());
            }
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                throw new ConfigException(SCHEMA_REGISTRY_URL_CONFIG, url, "expected http://, https:// or mock:// URLs");
            }
            baseUris.add(uri);
        }
        final Duration timeout = Duration.ofMillis(longValue(configs, REQUEST_TIMEOUT_MS_CONFIG, 10_000L));
        final Object source = configs.get(BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG);
        final Object userInfo = configs.get(USER_INFO_CONFIG);
        final boolean basicAuth = source != null && "USER_INFO".equals(source.toString()) && userInfo != null;
        return new HttpSchemaRegistryClient(baseUris, timeout, basicAuth ? userInfo.toString() : null);
    }

    /** A boolean setting, accepting {@code Boolean} or its string form. */
    public static boolean booleanValue(final Map<String, ?> configs, final String key, final boolean defaultValue) {
        final Object value = configs.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Boolean) {
            return (Boolean) value;
        }
        final String text = value.toString().trim();
        if ("true".equalsIgnoreCase(text) || "false".equalsIgnoreCase(text)) {
            return Boolean.parseBoolean(text);
        }
        throw new ConfigException(key, value, "expected true or false");
    }

    /** A non-negative number of milliseconds. */
    public static long millis(final Map<String, ?> configs, final String key, final long defaultValue) {
        final Object value = configs.get(key);
        if (value == null) {
            return defaultValue;
        }
        try {
            final long parsed = value instanceof Number ? ((Number) value).longValue() : Long.parseLong(value.toString().trim());
            if (parsed < 0) {
                throw new ConfigException(key, value, "must not be negative");
            }
            return parsed;
        } catch (final NumberFormatException e) {
            throw new ConfigException(key, value, "expected a number of milliseconds");
        }
    }

    private static long longValue(final Map<String, ?> configs, final String key, final long defaultValue) {
        final Object value = configs.get(key);
        if (value == null) {
            return defaultValue;
        }
        try {
            final long parsed = value instanceof Number ? ((Number) value).longValue() : Long.parseLong(value.toString().trim());
            if (parsed <= 0) {
                throw new ConfigException(key, value, "must be positive");
            }
            return parsed;
        } catch (final NumberFormatException e) {
            throw new ConfigException(key, value, "expected a number of milliseconds");
        }
    }
}
