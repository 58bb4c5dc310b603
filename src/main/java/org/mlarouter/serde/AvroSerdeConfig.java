package org.mlarouter.serde;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The configuration of the Confluent-framed Avro serde, as a {@link ConfigDef}: every key typed, documented and
 * validated. The names are those of Confluent's own serializers, so one configuration serves either implementation;
 * Confluent's keys that this serde does not implement are not defined here, so the router refuses them (see
 * {@code RouterSettings}) rather than ignore them.
 */
public final class AvroSerdeConfig extends AbstractConfig {

    public static final String SCHEMA_REGISTRY_URL_CONFIG = "schema.registry.url";
    private static final String SCHEMA_REGISTRY_URL_DOC = "Comma-separated Schema Registry URLs (http:// or https://), or"
            + " mock://<scope> for an in-memory registry shared within the JVM (tests).";

    public static final String AUTO_REGISTER_SCHEMAS_CONFIG = "auto.register.schemas";
    private static final String AUTO_REGISTER_SCHEMAS_DOC = "Whether the serializer registers a record's schema when its"
            + " subject lacks it; when false, the schema must be registered already.";

    public static final String REMOVE_JAVA_PROPERTIES_CONFIG = "avro.remove.java.properties";
    private static final String REMOVE_JAVA_PROPERTIES_DOC = "Whether schemas are registered without the Java-only"
            + " avro.java.string property, so that Java, Python, Go and .NET writers share one schema id.";

    public static final String SPECIFIC_AVRO_READER_CONFIG = "specific.avro.reader";
    private static final String SPECIFIC_AVRO_READER_DOC = "Confluent's switch for specific records. This serde reads"
            + " specific records only, so it must be true.";

    public static final String SPECIFIC_AVRO_VALUE_TYPE_CONFIG = "specific.avro.value.type";
    private static final String SPECIFIC_AVRO_VALUE_TYPE_DOC = "Class of the records a value deserializer must produce;"
            + " a record whose schema cannot be read as it fails to decode. Default: the class generated for the writer schema.";

    public static final String SPECIFIC_AVRO_KEY_TYPE_CONFIG = "specific.avro.key.type";
    private static final String SPECIFIC_AVRO_KEY_TYPE_DOC = "As specific.avro.value.type, for a key deserializer.";

    public static final String REQUEST_TIMEOUT_MS_CONFIG = "schema.registry.request.timeout.ms";
    private static final String REQUEST_TIMEOUT_MS_DOC = "How long one Schema Registry request may take, in milliseconds.";

    public static final String OUTAGE_WAIT_MS_CONFIG = "schema.registry.outage.wait.ms";
    private static final String OUTAGE_WAIT_MS_DOC = "How long a deserializer retries, with backoff, a Schema Registry that"
            + " cannot be reached before it fails with SchemaRegistryUnavailableException (0: fail at once).";

    public static final String BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG = "basic.auth.credentials.source";
    private static final String BASIC_AUTH_CREDENTIALS_SOURCE_DOC = "USER_INFO sends HTTP basic authentication with"
            + " basic.auth.user.info; URL sends none (credentials in the URL are not read).";

    public static final String USER_INFO_CONFIG = "basic.auth.user.info";
    private static final String USER_INFO_DOC = "user:password for HTTP basic authentication, with basic.auth.credentials.source=USER_INFO.";

    /** The key prefixes that belong to a Confluent-style serde; the router owns them when it runs this serde. */
    public static final Set<String> KEY_PREFIXES = Set.of("schema.registry.", "basic.auth.", "auto.register.schemas", "avro.",
            "specific.avro.", "use.latest.version", "latest.compatibility.strict", "normalize.schemas", "value.subject.name.strategy",
            "key.subject.name.strategy", "bearer.auth.");

    private static final ConfigDef CONFIG = new ConfigDef()
            .define(SCHEMA_REGISTRY_URL_CONFIG, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, urls(), Importance.HIGH, SCHEMA_REGISTRY_URL_DOC)
            .define(AUTO_REGISTER_SCHEMAS_CONFIG, Type.BOOLEAN, true, Importance.MEDIUM, AUTO_REGISTER_SCHEMAS_DOC)
            .define(REMOVE_JAVA_PROPERTIES_CONFIG, Type.BOOLEAN, true, Importance.LOW, REMOVE_JAVA_PROPERTIES_DOC)
            .define(SPECIFIC_AVRO_READER_CONFIG, Type.BOOLEAN, true, mustBeTrue(), Importance.LOW, SPECIFIC_AVRO_READER_DOC)
            .define(SPECIFIC_AVRO_VALUE_TYPE_CONFIG, Type.CLASS, null, Importance.LOW, SPECIFIC_AVRO_VALUE_TYPE_DOC)
            .define(SPECIFIC_AVRO_KEY_TYPE_CONFIG, Type.CLASS, null, Importance.LOW, SPECIFIC_AVRO_KEY_TYPE_DOC)
            .define(REQUEST_TIMEOUT_MS_CONFIG, Type.LONG, 10_000L, ConfigDef.Range.atLeast(1), Importance.MEDIUM, REQUEST_TIMEOUT_MS_DOC)
            .define(OUTAGE_WAIT_MS_CONFIG, Type.LONG, 0L, ConfigDef.Range.atLeast(0), Importance.LOW, OUTAGE_WAIT_MS_DOC)
            .define(BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG, Type.STRING, "URL", ConfigDef.ValidString.in("URL", "USER_INFO"),
                    Importance.MEDIUM, BASIC_AUTH_CREDENTIALS_SOURCE_DOC)
            .define(USER_INFO_CONFIG, Type.PASSWORD, null, Importance.MEDIUM, USER_INFO_DOC);

    public AvroSerdeConfig(final Map<?, ?> originals) {
        super(CONFIG, originals, false);
    }

    /** The definition of every key, with its documentation. */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    /** Whether a key is in a serde's namespace ({@link #KEY_PREFIXES}). */
    public static boolean isSerdeNamespace(final String key) {
        return KEY_PREFIXES.stream().anyMatch(key::startsWith);
    }

    /** A registry client for the configured URL: in-memory for {@code mock://}, HTTP otherwise. */
    public SchemaRegistryClient registryClient() {
        final String urls = getString(SCHEMA_REGISTRY_URL_CONFIG).trim();
        if (urls.startsWith(MockSchemaRegistry.SCHEME)) {
            return MockSchemaRegistry.forScope(urls.substring(MockSchemaRegistry.SCHEME.length()));
        }
        final Password userInfo = getPassword(USER_INFO_CONFIG);
        final boolean basicAuth = "USER_INFO".equals(getString(BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG)) && userInfo != null;
        return new HttpSchemaRegistryClient(baseUris(urls), Duration.ofMillis(getLong(REQUEST_TIMEOUT_MS_CONFIG)),
                basicAuth ? userInfo.value() : null);
    }

    public boolean autoRegisterSchemas() {
        return getBoolean(AUTO_REGISTER_SCHEMAS_CONFIG);
    }

    public boolean removeJavaProperties() {
        return getBoolean(REMOVE_JAVA_PROPERTIES_CONFIG);
    }

    public long outageWaitMs() {
        return getLong(OUTAGE_WAIT_MS_CONFIG);
    }

    /** The record class a deserializer must produce, or null for the class generated for the writer schema. */
    public Class<?> specificType(final boolean isKey) {
        return getClass(isKey ? SPECIFIC_AVRO_KEY_TYPE_CONFIG : SPECIFIC_AVRO_VALUE_TYPE_CONFIG);
    }

    private static List<URI> baseUris(final String urls) {
        final List<URI> baseUris = new ArrayList<>();
        for (final String part : urls.split(",")) {
            baseUris.add(URI.create(part.trim()));
        }
        return baseUris;
    }

    private static ConfigDef.Validator urls() {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(final String name, final Object value) {
                if (value == null || value.toString().isBlank()) {
                    throw new ConfigException(name, value, "a Schema Registry URL is required");
                }
                final String urls = value.toString().trim();
                if (urls.startsWith(MockSchemaRegistry.SCHEME)) {
                    return;
                }
                for (final String part : urls.split(",")) {
                    final URI uri;
                    try {
                        uri = URI.create(part.trim());
                    } catch (final IllegalArgumentException e) {
                        throw new ConfigException(name, value, "not a URL: " + e.getMessage());
                    }
                    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                        throw new ConfigException(name, value, "expected http://, https:// or mock:// URLs");
                    }
                }
            }

            @Override
            public String toString() {
                return "http://, https:// or mock:// URLs, comma-separated";
            }
        };
    }

    private static ConfigDef.Validator mustBeTrue() {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(final String name, final Object value) {
                if (Boolean.FALSE.equals(value)) {
                    throw new ConfigException(name, value, "this serde reads specific records only");
                }
            }

            @Override
            public String toString() {
                return "true";
            }
        };
    }
}
