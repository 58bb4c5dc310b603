package org.mlarouter.topology;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.mlarouter.policy.StateCodes;
import org.mlarouter.serde.AvroSerdeConfig;
import org.mlarouter.serde.SpecificAvroSerde;

/**
 * The router's own settings: home state, topic names, the value serde and the Schema Registry. Immutable; built from
 * a map of strings, so the command line, a properties file and tests all produce it the same way. A bad value fails
 * here, at start-up, with a {@link ConfigException} naming the key.
 *
 * <p>Kafka client and Streams settings are not here: they go to {@code KafkaStreams} as they are. Serde settings
 * ({@code schema.registry.url}, {@code auto.register.schemas}, {@code basic.auth.*}, …) pass through to the serde.
 */
public final class RouterConfig extends AbstractConfig {

    public static final String HOME_STATE_CONFIG = "mla.home.state";
    private static final String HOME_STATE_DOC = "ISO 3166-1 alpha-2 code of the state the router works for;"
            + " one party of every request must be this state, the other is the counterpart.";

    public static final String REQUESTS_TOPIC_CONFIG = "mla.topic.requests";
    private static final String REQUESTS_TOPIC_DOC = "Input topic: AssistanceRequest values keyed by requestId.";

    public static final String TREATIES_TOPIC_CONFIG = "mla.topic.treaties";
    private static final String TREATIES_TOPIC_DOC = "Compacted topic of TreatyCoverage values keyed by counterpart code;"
            + " read whole into a GlobalKTable, a tombstone removes a counterpart.";

    public static final String ACCEPTED_TOPIC_CONFIG = "mla.topic.accepted";
    private static final String ACCEPTED_TOPIC_DOC = "Output topic for decisions with route ACCEPTED.";

    public static final String REFUSED_TOPIC_CONFIG = "mla.topic.refused";
    private static final String REFUSED_TOPIC_DOC = "Output topic for decisions with route REFUSED.";

    public static final String NEEDS_REVIEW_TOPIC_CONFIG = "mla.topic.needs-review";
    private static final String NEEDS_REVIEW_TOPIC_DOC = "Output topic for decisions with route NEEDS_REVIEW.";

    public static final String DEAD_LETTER_TOPIC_CONFIG = "mla.topic.dead-letters";
    private static final String DEAD_LETTER_TOPIC_DOC = "Dead-letter topic: the original key and value bytes of records"
            + " that cannot be decoded or processed, with headers saying why and where from.";

    public static final String VALUE_SERDE_CLASS_CONFIG = "mla.value.serde.class";
    private static final String VALUE_SERDE_CLASS_DOC = "Serde for Avro values in the Confluent wire format. The default"
            + " is the router's own; io.confluent.kafka.streams.serdes.avro.SpecificAvroSerde works where Confluent's jars are present.";

    public static final String MAX_REQUEST_BYTES_CONFIG = "mla.max.request.bytes";
    private static final String MAX_REQUEST_BYTES_DOC = "Requests larger than this many bytes go to the dead-letter topic"
            + " (REQUEST_TOO_LARGE) undecided: a decision carries the full request, and must stay under the producer's"
            + " max.request.size and the decision topics' max.message.bytes (1 MB by default).";

    public static final String HTTP_HOST_CONFIG = "mla.http.host";
    private static final String HTTP_HOST_DOC = "Address of the operator HTTP endpoint (/metrics, /health/live, /health/ready,"
            + " /topology). Loopback by default: expose it deliberately.";

    public static final String HTTP_PORT_CONFIG = "mla.http.port";
    private static final String HTTP_PORT_DOC = "Port of the operator HTTP endpoint; 0 picks a free one, -1 turns it off.";

    public static final String SCHEMA_REGISTRY_URL_CONFIG = AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG;
    private static final String SCHEMA_REGISTRY_URL_DOC = "Comma-separated Schema Registry URLs, or mock://<scope> for an"
            + " in-memory registry (tests).";

    /** Prefixes and keys of settings handed to the value serde. */
    private static final Set<String> SERDE_PREFIXES = Set.of("schema.registry.", "basic.auth.", "auto.register.schemas",
            "avro.", "specific.avro.", "use.latest.version", "latest.compatibility.strict", "normalize.schemas",
            "value.subject.name.strategy", "key.subject.name.strategy", "bearer.auth.");

    private static final ConfigDef CONFIG = new ConfigDef()
            .define(HOME_STATE_CONFIG, Type.STRING, "KZ", alpha2(), Importance.HIGH, HOME_STATE_DOC)
            .define(REQUESTS_TOPIC_CONFIG, Type.STRING, "mla.requests", new ConfigDef.NonEmptyStringWithoutControlChars(), Importance.HIGH, REQUESTS_TOPIC_DOC)
            .define(TREATIES_TOPIC_CONFIG, Type.STRING, "mla.treaties", new ConfigDef.NonEmptyStringWithoutControlChars(), Importance.HIGH, TREATIES_TOPIC_DOC)
            .define(ACCEPTED_TOPIC_CONFIG, Type.STRING, "mla.decisions.accepted", new ConfigDef.NonEmptyStringWithoutControlChars(), Importance.HIGH, ACCEPTED_TOPIC_DOC)
            .define(REFUSED_TOPIC_CONFIG, Type.STRING, "mla.decisions.refused", new ConfigDef.NonEmptyStringWithoutControlChars(), Importance.HIGH, REFUSED_TOPIC_DOC)
            .define(NEEDS_REVIEW_TOPIC_CONFIG, Type.STRING, "mla.decisions.needs-review", new ConfigDef.NonEmptyStringWithoutControlChars(), Importance.HIGH, NEEDS_REVIEW_TOPIC_DOC)
            .define(DEAD_LETTER_TOPIC_CONFIG, Type.STRING, "mla.requests.dlq", new ConfigDef.NonEmptyStringWithoutControlChars(), Importance.HIGH, DEAD_LETTER_TOPIC_DOC)
            .define(VALUE_SERDE_CLASS_CONFIG, Type.CLASS, SpecificAvroSerde.class, Importance.MEDIUM, VALUE_SERDE_CLASS_DOC)
            .define(MAX_REQUEST_BYTES_CONFIG, Type.INT, 900_000, ConfigDef.Range.atLeast(1), Importance.MEDIUM, MAX_REQUEST_BYTES_DOC)
            .define(HTTP_HOST_CONFIG, Type.STRING, "127.0.0.1", new ConfigDef.NonEmptyString(), Importance.MEDIUM, HTTP_HOST_DOC)
            .define(HTTP_PORT_CONFIG, Type.INT, 8080, ConfigDef.Range.between(-1, 65535), Importance.MEDIUM, HTTP_PORT_DOC)
            .define(SCHEMA_REGISTRY_URL_CONFIG, Type.STRING, "http://127.0.0.1:8081", new ConfigDef.NonEmptyString(), Importance.HIGH, SCHEMA_REGISTRY_URL_DOC);

    /**
     * @param originals the settings; keys the router does not define are kept for the serde and Kafka, unread here
     */
    public RouterConfig(final Map<?, ?> originals) {
        super(CONFIG, originals, false);
        requireDistinctTopics();
    }

    /** The definition of every key, with its documentation, for {@code --help} and the README. */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    /** The keys the router defines. */
    public static Set<String> names() {
        return CONFIG.names();
    }

    public String homeState() {
        return getString(HOME_STATE_CONFIG);
    }

    public String requestsTopic() {
        return getString(REQUESTS_TOPIC_CONFIG);
    }

    public String treatiesTopic() {
        return getString(TREATIES_TOPIC_CONFIG);
    }

    public String acceptedTopic() {
        return getString(ACCEPTED_TOPIC_CONFIG);
    }

    public String refusedTopic() {
        return getString(REFUSED_TOPIC_CONFIG);
    }

    public String needsReviewTopic() {
        return getString(NEEDS_REVIEW_TOPIC_CONFIG);
    }

    public String deadLetterTopic() {
        return getString(DEAD_LETTER_TOPIC_CONFIG);
    }

    public int maxRequestBytes() {
        return getInt(MAX_REQUEST_BYTES_CONFIG);
    }

    public String httpHost() {
        return getString(HTTP_HOST_CONFIG);
    }

    public int httpPort() {
        return getInt(HTTP_PORT_CONFIG);
    }

    public Class<?> valueSerdeClass() {
        return getClass(VALUE_SERDE_CLASS_CONFIG);
    }

    /** The settings handed to the value serde: the registry URL and every serde key given. */
    public Map<String, Object> serdeConfigs() {
        final Map<String, Object> serdeConfigs = new HashMap<>();
        originals().forEach((key, value) -> {
            if (SERDE_PREFIXES.stream().anyMatch(key::startsWith)) {
                serdeConfigs.put(key, value);
            }
        });
        serdeConfigs.put(SCHEMA_REGISTRY_URL_CONFIG, getString(SCHEMA_REGISTRY_URL_CONFIG));
        return serdeConfigs;
    }

    /** Whether a key belongs to the serde, so a caller that checks for unknown keys can let it pass. */
    public static boolean isSerdeKey(final String key) {
        return SERDE_PREFIXES.stream().anyMatch(key::startsWith);
    }

    private void requireDistinctTopics() {
        final Map<String, String> keyByTopic = new HashMap<>();
        for (final String key : new String[] {REQUESTS_TOPIC_CONFIG, TREATIES_TOPIC_CONFIG, ACCEPTED_TOPIC_CONFIG,
            REFUSED_TOPIC_CONFIG, NEEDS_REVIEW_TOPIC_CONFIG, DEAD_LETTER_TOPIC_CONFIG}) {
            final String other = keyByTopic.putIfAbsent(getString(key), key);
            if (other != null) {
                throw new ConfigException(key, getString(key), "the same topic is already configured as " + other);
            }
        }
    }

    private static ConfigDef.Validator alpha2() {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(final String name, final Object value) {
                if (!StateCodes.isAlpha2((String) value)) {
                    throw new ConfigException(name, value, "expected an ISO 3166-1 alpha-2 code such as KZ");
                }
            }

            @Override
            public String toString() {
                return "ISO 3166-1 alpha-2 code";
            }
        };
    }
}
