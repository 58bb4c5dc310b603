package org.mlarouter.config;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serde;
import org.mlarouter.avro.Urgency;
import org.mlarouter.policy.FourEyes;
import org.mlarouter.serde.AvroSerdeConfig;
import org.mlarouter.serde.SpecificAvroSerde;
import org.mlarouter.privacy.OutcomeSignature;

/**
 * The router's own settings: home state, topic names (one key per {@link TopicRole}), the value serde and the Schema
 * Registry, the operator endpoint. Immutable; built from a map of strings, so the command line, a properties file and
 * tests all produce it the same way. A bad value fails here, at start-up, with a {@link ConfigException} naming the key.
 *
 * <p>Kafka client and Streams settings are not here: they go to {@code KafkaStreams} as they are (see
 * {@link RouterSettings}). Serde settings are checked against the serde's own {@link AvroSerdeConfig} and handed to it
 * by {@link #valueSerde}.
 */
public final class RouterConfig extends AbstractConfig {

    /** The namespace of the router's own keys: a key under it that is not defined here is refused. */
    public static final String NAMESPACE = "mla.";

    public static final String HOME_STATE_CONFIG = "mla.home.state";
    private static final String HOME_STATE_DOC = "ISO 3166-1 alpha-2 code of the state the router works for;"
            + " one party of every request must be this state, the other is the counterpart.";

    public static final String VALUE_SERDE_CLASS_CONFIG = "mla.value.serde.class";
    private static final String VALUE_SERDE_CLASS_DOC = "Serde for Avro values in the Confluent wire format. The default"
            + " is the router's own; io.confluent.kafka.streams.serdes.avro.SpecificAvroSerde works where Confluent's jars are present.";

    public static final String MAX_REQUEST_BYTES_CONFIG = "mla.max.request.bytes";
    private static final String MAX_REQUEST_BYTES_DOC = "Requests larger than this many bytes go to the dead-letter topic"
            + " (REQUEST_TOO_LARGE) undecided: a decision carries the full request, and must stay under the producer's"
            + " max.request.size and the decision topics' max.message.bytes (1 MB by default).";

    public static final String REQUEST_RETENTION_CONFIG = "mla.request.retention";
    private static final String REQUEST_RETENTION_DOC = "How long the router keeps a request's status (and its id, to refuse"
            + " duplicates) after its first decision; then it is forgotten, so the store does not grow without bound.";

    public static final String TOOLS_TIMEOUT_CONFIG = "mla.tools.timeout";
    private static final String TOOLS_TIMEOUT_DOC = "How long a command-line tool (submit, tail, treaties, throughput, reset,"
            + " review) waits for Kafka or the Schema Registry before it gives up, with one line naming the address.";

    public static final String REPLACEMENT_BACKOFF_INITIAL_CONFIG = "mla.thread.replacement.backoff.initial";
    private static final String REPLACEMENT_BACKOFF_INITIAL_DOC = "How long a failed stream thread waits before it is replaced, after"
            + " a first failure; the wait doubles with each failure that follows within 5 minutes.";

    public static final String REPLACEMENT_BACKOFF_MAX_CONFIG = "mla.thread.replacement.backoff.max";
    private static final String REPLACEMENT_BACKOFF_MAX_DOC = "The longest wait before a failed stream thread is replaced.";

    public static final String SCHEMA_REGISTRY_URL_CONFIG = AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG;
    private static final String SCHEMA_REGISTRY_URL_DOC = "Comma-separated Schema Registry URLs, or mock://<scope> for an"
            + " in-memory registry (tests).";

    private static final ConfigDef CONFIG = define();

    private static ConfigDef define() {
        final ConfigDef config = new ConfigDef()
                .define(HOME_STATE_CONFIG, Type.STRING, "KZ", new StateCodeValidator(), Importance.HIGH, HOME_STATE_DOC);
        for (final TopicRole role : TopicRole.values()) {
            config.define(role.configKey(), Type.STRING, role.defaultName(), new ConfigDef.NonEmptyStringWithoutControlChars(),
                    Importance.HIGH, role.doc());
        }
        PersonalDataKeys.defineRetention(config);
        config.define(VALUE_SERDE_CLASS_CONFIG, Type.CLASS, SpecificAvroSerde.class, Importance.MEDIUM, VALUE_SERDE_CLASS_DOC)
                .define(MAX_REQUEST_BYTES_CONFIG, Type.INT, 900_000, ConfigDef.Range.atLeast(1), Importance.MEDIUM, MAX_REQUEST_BYTES_DOC);
        HttpKeys.define(config);
        config.define(REQUEST_RETENTION_CONFIG, Type.STRING, "400d", new DurationValidator(), Importance.MEDIUM, REQUEST_RETENTION_DOC);
        ReviewKeys.define(config);
        PersonalDataKeys.define(config);
        return config
                .define(TOOLS_TIMEOUT_CONFIG, Type.STRING, "15s", new DurationValidator(), Importance.LOW, TOOLS_TIMEOUT_DOC)
                .define(REPLACEMENT_BACKOFF_INITIAL_CONFIG, Type.STRING, "1s", new DurationValidator(), Importance.LOW, REPLACEMENT_BACKOFF_INITIAL_DOC)
                .define(REPLACEMENT_BACKOFF_MAX_CONFIG, Type.STRING, "60s", new DurationValidator(), Importance.LOW, REPLACEMENT_BACKOFF_MAX_DOC)
                .define(SCHEMA_REGISTRY_URL_CONFIG, Type.STRING, "http://127.0.0.1:8081", new ConfigDef.NonEmptyString(),
                        Importance.HIGH, SCHEMA_REGISTRY_URL_DOC);
    }

    /**
     * @param originals the settings; keys the router does not define are kept for the serde and Kafka, unread here
     * @throws ConfigException for a bad value, or a serde key the configured (own) serde does not define
     */
    public RouterConfig(final Map<?, ?> originals) {
        super(CONFIG, originals, false);
        TopicRole.requireDistinct(this::topic);
        if (replacementBackoffMax().compareTo(replacementBackoffInitial()) < 0) {
            throw new ConfigException(REPLACEMENT_BACKOFF_MAX_CONFIG, getString(REPLACEMENT_BACKOFF_MAX_CONFIG),
                    "shorter than " + REPLACEMENT_BACKOFF_INITIAL_CONFIG + " (" + getString(REPLACEMENT_BACKOFF_INITIAL_CONFIG) + ")");
        }
        HttpKeys.check(this);
        if (ownsSerdeKeys()) {
            new AvroSerdeConfig(serdeConfigs());
        }
    }

    /** The definition of every key, with its documentation, for {@code --help}, {@code config} and the README. */
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

    public java.time.ZoneId homeZone() {
        return java.time.ZoneId.of(getString(ReviewKeys.HOME_ZONE_CONFIG).trim());
    }

    /** The name of the topic in a role. */
    public String topic(final TopicRole role) {
        return getString(role.configKey());
    }

    public int maxRequestBytes() {
        return getInt(MAX_REQUEST_BYTES_CONFIG);
    }

    public String httpHost() {
        return getString(HttpKeys.HTTP_HOST_CONFIG);
    }

    public int httpPort() {
        return getInt(HttpKeys.HTTP_PORT_CONFIG);
    }

    /** The organisation's OpenID Connect issuer and how the router is known to it, when an issuer is configured. */
    public java.util.Optional<HttpKeys.Oidc> httpOidc() {
        return HttpKeys.oidc(this);
    }

    /** The loopback port that serves /metrics without sign-in, or -1 for none. */
    public int httpMetricsPort() {
        return getInt(HttpKeys.HTTP_METRICS_PORT_CONFIG);
    }

    /** The operator endpoint's users file, or null when it has no users. */
    public java.nio.file.Path httpUsersFile() {
        final String location = getString(HttpKeys.HTTP_USERS_FILE_CONFIG);
        return location == null || location.isBlank() ? null : java.nio.file.Path.of(location);
    }

    /** The service user this instance forwards queries as, or null. */
    public String httpPeerUser() {
        return getString(HttpKeys.HTTP_PEER_USER_CONFIG);
    }

    /** The file of {@link #httpPeerUser()}'s password, or null. */
    public java.nio.file.Path httpPeerPasswordFile() {
        final String location = getString(HttpKeys.HTTP_PEER_PASSWORD_FILE_CONFIG);
        return location == null ? null : java.nio.file.Path.of(location);
    }

    /** Whether users may sign in over plain HTTP on a non-loopback address ({@value HttpKeys#HTTP_INSECURE_CONFIG}). */
    public boolean httpInsecure() {
        return getBoolean(HttpKeys.HTTP_INSECURE_CONFIG);
    }

    /** Whether this instance may forward a query to an instance advertised on {@code host} ({@value HttpKeys#HTTP_PEERS_CONFIG}). */
    public boolean isPeer(final String host) {
        return HttpKeys.isLoopback(host) || getList(HttpKeys.HTTP_PEERS_CONFIG).stream().map(String::trim).anyMatch(host::equalsIgnoreCase);
    }

    /** The operator endpoint's TLS key store, or null for plain HTTP. */
    public java.nio.file.Path httpTlsKeyStore() {
        final String location = getString(HttpKeys.HTTP_TLS_KEYSTORE_CONFIG);
        return location == null ? null : java.nio.file.Path.of(location);
    }

    public String httpTlsKeyStorePassword() {
        return getPassword(HttpKeys.HTTP_TLS_KEYSTORE_PASSWORD_CONFIG) == null ? null : getPassword(HttpKeys.HTTP_TLS_KEYSTORE_PASSWORD_CONFIG).value();
    }

    public Duration requestRetention() {
        return DurationValidator.parse(getString(REQUEST_RETENTION_CONFIG));
    }

    /** How long a topic the router creates keeps its records; empty for a compacted one. */
    public java.util.Optional<Duration> topicRetention(final TopicRole role) {
        if (role.defaultRetention().isEmpty()) {
            return java.util.Optional.empty();
        }
        final String given = getString(role.retentionKey());
        return java.util.Optional.of(given == null || given.isBlank() ? requestRetention() : DurationValidator.parse(given));
    }

    /** How long a review may be pending before it is overdue, by the request's urgency. */
    public Duration reviewDeadline(final Urgency urgency) {
        return DurationValidator.parse(getString(urgency == Urgency.URGENT ? ReviewKeys.REVIEW_DEADLINE_URGENT_CONFIG : ReviewKeys.REVIEW_DEADLINE_ROUTINE_CONFIG));
    }

    /** How long an outcome whose request is not decided waits for it ({@link ReviewKeys#REVIEW_AWAIT_REQUEST_CONFIG}). */
    public Duration reviewAwaitRequest() {
        return DurationValidator.parse(getString(ReviewKeys.REVIEW_AWAIT_REQUEST_CONFIG));
    }

    /** Whether the personal data the router writes is encrypted ({@link PersonalDataKeys#PERSONAL_DATA_PROTECTION_CONFIG}). */
    public boolean personalDataEncrypted() {
        return "encrypted".equals(getString(PersonalDataKeys.PERSONAL_DATA_PROTECTION_CONFIG));
    }

    /**
     * The key-encryption keys, in encrypted mode; empty in plain mode.
     *
     * @throws ConfigException with one line when encrypted and no key file is set or it cannot be read
     */
    public java.util.Optional<org.mlarouter.privacy.KeyEncryptionKeys> keyEncryptionKeys() {
        return personalDataEncrypted() ? java.util.Optional.of(PersonalDataKeys.keyEncryptionKeys(getString(PersonalDataKeys.PERSONAL_DATA_KEK_FILE_CONFIG)))
                : java.util.Optional.empty();
    }

    /** Whether a change of treaty coverage waits for a supervisor's approval ({@link ReviewKeys#TREATIES_FOUR_EYES_CONFIG}). */
    public boolean treatiesFourEyes() {
        return getBoolean(ReviewKeys.TREATIES_FOUR_EYES_CONFIG);
    }

    /** Which outcomes a second supervisor confirms ({@link ReviewKeys#REVIEW_FOUR_EYES_CONFIG}). */
    public FourEyes fourEyes() {
        return FourEyes.of(getString(ReviewKeys.REVIEW_FOUR_EYES_CONFIG));
    }

    /**
     * The key the router signs and checks review outcomes with.
     *
     * @throws ConfigException with one line when no key file is set or it cannot be read
     */
    public OutcomeSignature outcomeSignature() {
        return ReviewKeys.outcomeSignature(getString(ReviewKeys.REVIEW_SIGNING_KEY_FILE_CONFIG));
    }

    public Duration reviewCheckInterval() {
        return DurationValidator.parse(getString(ReviewKeys.REVIEW_CHECK_INTERVAL_CONFIG));
    }

    public Duration toolsTimeout() {
        return DurationValidator.parse(getString(TOOLS_TIMEOUT_CONFIG));
    }

    public Duration replacementBackoffInitial() {
        return DurationValidator.parse(getString(REPLACEMENT_BACKOFF_INITIAL_CONFIG));
    }

    public Duration replacementBackoffMax() {
        return DurationValidator.parse(getString(REPLACEMENT_BACKOFF_MAX_CONFIG));
    }

    public String schemaRegistryUrl() {
        return getString(SCHEMA_REGISTRY_URL_CONFIG);
    }

    public Class<?> valueSerdeClass() {
        return getClass(VALUE_SERDE_CLASS_CONFIG);
    }

    /**
     * Whether the router's own serde runs, so that keys in the serde's namespace must be keys it defines. Another serde
     * class (Confluent's) has keys the router cannot know, so they pass to it unchecked.
     */
    public boolean ownsSerdeKeys() {
        return valueSerdeClass() == SpecificAvroSerde.class;
    }

    /** The settings handed to the value serde: the registry URL and every key given in the serde's namespace. */
    public Map<String, Object> serdeConfigs() {
        final Map<String, Object> serdeConfigs = new HashMap<>();
        originals().forEach((key, value) -> {
            if (AvroSerdeConfig.isSerdeNamespace(key)) {
                serdeConfigs.put(key, value);
            }
        });
        serdeConfigs.put(SCHEMA_REGISTRY_URL_CONFIG, getString(SCHEMA_REGISTRY_URL_CONFIG));
        return serdeConfigs;
    }

    /** A configured instance of the value serde class, producing records of {@code type}. */
    public <T extends SpecificRecord> Serde<T> valueSerde(final Class<T> type) {
        return valueSerde(type, Map.of());
    }

    /** As {@link #valueSerde(Class)}, with serde settings added where the configuration has none. */
    public <T extends SpecificRecord> Serde<T> valueSerde(final Class<T> type, final Map<String, Object> extraConfigs) {
        return ValueSerdes.create(valueSerdeClass(), type, serdeConfigs(), extraConfigs);
    }
}
