package org.mlarouter.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.mlarouter.serde.AvroSerdeConfig;

/**
 * Everything the application is configured with, as one immutable value: the router's own settings
 * ({@link RouterConfig}), the serde's, and Kafka client and Streams properties. Built from a flat map of strings (the
 * command line, a properties file and the environment all end up as one), and checked at once: a key that neither the
 * router, the serde, Kafka Streams nor a Kafka client knows fails with a {@link ConfigException} naming it. In the
 * namespaces the router owns ({@code mla.*}, and the serde's {@code schema.registry.*}, {@code basic.auth.*}, … while the
 * router's own serde runs) only defined keys pass, so a typo there fails too.
 */
public final class RouterSettings {

    /** The application id when none is given, as docs/contract.md says. */
    public static final String DEFAULT_APPLICATION_ID = "mla-router";
    /** The broker when none is given: the embedded stack's. */
    public static final String DEFAULT_BOOTSTRAP_SERVERS = "127.0.0.1:9092";

    /**
     * The router's Kafka Streams defaults, each overridable. A decision carries its whole request, so Kafka's 16 KiB
     * batches held few records and the broker spent its time on requests: 256 KiB batches raised throughput
     * by about a third in the benchmark (docs/benchmarks.md). Kafka Streams' linger of 100 ms is lowered to 10 ms, which
     * costs no throughput there and keeps at-least-once latency low.
     *
     * <p>{@code max.task.idle.ms} is -1, not Kafka's 0. Each task reads four partitions (requests, reviews, and their
     * repartition topics), and the review ones are mostly empty. With any value but -1, Kafka Streams (4.3 and 4.4 alike) describes each
     * empty partition in a {@code String.format}ted text before every record it processes, whether or not that text is
     * logged: 13 % of the router's CPU in the benchmark's profile. The router needs no timestamp alignment across its
     * inputs: a review can only follow the decision it reviews.
     *
     * <p>{@code statestore.cache.max.bytes} is 0: the record cache in front of the request-status and pending-reviews
     * stores cost more than it saved, since each request id is read once, then written once: 101k against 114k records/s
     * at at_least_once in the benchmark (docs/benchmarks.md). Set it to turn the cache on.
     *
     * <p>{@code enable.transactional.statestores} is true, not Kafka's false (KIP-892, Kafka 4.4): the stores hold their
     * writes until the changelog's transaction commits, so a router killed under exactly-once keeps its stores rather
     * than wiping and restoring them. With 1,000,000 request statuses, a restart after {@code kill -9} decided again in
     * 10.2 s instead of 13.3 s and restored 298,543 changelog records instead of 1,455,162, with no throughput cost
     * measured (docs/benchmarks.md, docs/reliability.md). Set it to false for Kafka's behaviour.
     */
    static final Map<String, String> STREAMS_DEFAULTS = Map.of(
            StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), "262144",
            StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), "10",
            StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, String.valueOf(StreamsConfig.MAX_TASK_IDLE_MS_DISABLED),
            StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, "0",
            StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, "true");

    private static final List<String> CLIENT_PREFIXES = List.of(StreamsConfig.CONSUMER_PREFIX, StreamsConfig.PRODUCER_PREFIX,
            StreamsConfig.ADMIN_CLIENT_PREFIX, StreamsConfig.MAIN_CONSUMER_PREFIX, StreamsConfig.RESTORE_CONSUMER_PREFIX,
            StreamsConfig.GLOBAL_CONSUMER_PREFIX);

    /**
     * Under {@code group.protocol=streams} (KIP-1071) the broker holds these per group; set on the client, Kafka ignores
     * them. Each maps to the group config that takes its place ({@code kafka-configs --entity-type groups}).
     */
    static final Map<String, String> GROUP_LEVEL_UNDER_STREAMS_PROTOCOL = Map.of(
            ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "streams.session.timeout.ms",
            ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "streams.heartbeat.interval.ms",
            StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, "streams.num.standby.replicas");
    private static final String STREAMS_PROTOCOL = "streams";

    private final Map<String, String> values;
    private final RouterConfig router;

    private RouterSettings(final Map<String, String> values) {
        this.values = Map.copyOf(values);
        this.router = new RouterConfig(this.values);
    }

    /**
     * Settings from a flat map; defaults fill in {@code application.id} and {@code bootstrap.servers}.
     *
     * @throws ConfigException for an unknown key or a bad value, naming the key
     */
    public static RouterSettings of(final Map<String, String> given) {
        final boolean ownSerde = ownSerde(given);
        final List<String> unknown = given.keySet().stream().filter(key -> !isKnown(key, ownSerde)).sorted().collect(Collectors.toList());
        if (!unknown.isEmpty()) {
            throw new ConfigException("Unknown configuration key" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
                    + ": not a setting of the router, its serde, Kafka Streams or a Kafka client");
        }
        final Map<String, String> values = new HashMap<>(given);
        values.putIfAbsent(StreamsConfig.APPLICATION_ID_CONFIG, DEFAULT_APPLICATION_ID);
        values.putIfAbsent(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, DEFAULT_BOOTSTRAP_SERVERS);
        // Kafka Streams' own validators, now rather than when the streams client is made, which follows the wait for
        // Kafka: a bad value (an application.server that is not host:port, KIP-1245) fails at start, naming its key.
        final Map<String, String> streams = new HashMap<>(values);
        streams.keySet().retainAll(StreamsConfig.configDef().names());
        StreamsConfig.configDef().parse(streams);
        return new RouterSettings(values);
    }

    /** Whether any part of the application, with its own serde, defines this key. */
    public static boolean isKnown(final String key) {
        return isKnown(key, true);
    }

    private static boolean ownSerde(final Map<String, String> given) {
        final String serdeClass = given.get(RouterConfig.VALUE_SERDE_CLASS_CONFIG);
        return serdeClass == null || serdeClass.trim().equals(org.mlarouter.serde.SpecificAvroSerde.class.getName());
    }

    private static boolean isKnown(final String key, final boolean ownSerde) {
        if (key.startsWith(RouterConfig.NAMESPACE)) {
            return RouterConfig.names().contains(key);
        }
        if (AvroSerdeConfig.isSerdeNamespace(key)) {
            return !ownSerde || AvroSerdeConfig.configDef().names().contains(key);
        }
        if (isClientKey(key) || StreamsConfig.configDef().names().contains(key) || key.startsWith(StreamsConfig.TOPIC_PREFIX)) {
            return true;
        }
        for (final String prefix : CLIENT_PREFIXES) {
            if (key.startsWith(prefix) && isClientKey(key.substring(prefix.length()))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isClientKey(final String key) {
        return ConsumerConfig.configNames().contains(key) || ProducerConfig.configNames().contains(key)
                || AdminClientConfig.configNames().contains(key);
    }

    private static boolean streamsProtocol(final Map<String, String> given) {
        return STREAMS_PROTOCOL.equalsIgnoreCase(given.getOrDefault(StreamsConfig.GROUP_PROTOCOL_CONFIG, "").trim());
    }

    private static List<String> withPrefixes(final String key) {
        return List.of(key, StreamsConfig.consumerPrefix(key), StreamsConfig.mainConsumerPrefix(key));
    }

    public RouterConfig router() {
        return router;
    }

    /** Whether the router joins its group with the streams rebalance protocol (KIP-1071) rather than the classic one. */
    public boolean streamsProtocol() {
        return streamsProtocol(values);
    }

    /** Whether this instance is a static member of its group: {@code group.instance.id} set, with or without a client prefix. */
    public boolean staticMembership() {
        return withPrefixes(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG).stream().anyMatch(values::containsKey);
    }

    /**
     * The settings given that the streams rebalance protocol ignores, each with the group config that takes its place;
     * empty under the classic protocol.
     */
    public Map<String, String> ignoredByStreamsProtocol() {
        final Map<String, String> ignored = new TreeMap<>();
        if (streamsProtocol()) {
            GROUP_LEVEL_UNDER_STREAMS_PROTOCOL.forEach((key, groupConfig) -> withPrefixes(key).stream().filter(values::containsKey)
                    .forEach(given -> ignored.put(given, groupConfig)));
        }
        return ignored;
    }

    public String applicationId() {
        return values.get(StreamsConfig.APPLICATION_ID_CONFIG);
    }

    public String bootstrapServers() {
        return values.get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG);
    }

    /** The value of a key as given, or null. */
    public String get(final String key) {
        return values.get(key);
    }

    /** These settings with some values replaced or added (checked like the originals). */
    public RouterSettings with(final Map<String, String> overrides) {
        final Map<String, String> merged = new HashMap<>(values);
        merged.putAll(overrides);
        return of(merged);
    }

    /**
     * The properties for {@code KafkaStreams}: what the topology needs ({@code topologyRequirements}), the router's
     * defaults ({@link #STREAMS_DEFAULTS}), then everything given (which wins).
     */
    public Properties streamsProperties(final Map<String, ?> topologyRequirements) {
        final Properties properties = new Properties();
        properties.putAll(topologyRequirements);
        properties.putAll(STREAMS_DEFAULTS);
        properties.putAll(values);
        return properties;
    }

    /**
     * Properties for a plain Kafka client (the command-line tools): connection and security settings, without the
     * router's, the serde's or Streams-only keys.
     */
    public Map<String, Object> clientProperties(final Set<String> clientKeys) {
        final Map<String, Object> client = new HashMap<>();
        values.forEach((key, value) -> {
            if (clientKeys.contains(key)) {
                client.put(key, value);
            }
        });
        return client;
    }

    /** Properties for a consumer, producer or admin client of the tools. */
    public Map<String, Object> consumerProperties() {
        final Map<String, Object> consumer = clientProperties(ConsumerConfig.configNames());
        if (streamsProtocol()) {
            // The router's group protocol, not one a plain consumer knows (classic, consumer).
            consumer.remove(StreamsConfig.GROUP_PROTOCOL_CONFIG);
        }
        return consumer;
    }

    public Map<String, Object> producerProperties() {
        return clientProperties(ProducerConfig.configNames());
    }

    public Map<String, Object> adminProperties() {
        return clientProperties(AdminClientConfig.configNames());
    }

    /** Settings for the value serde, as in {@link RouterConfig#serdeConfigs()}. */
    public Map<String, Object> serdeConfigs() {
        return router.serdeConfigs();
    }

    /** All values, sorted, with secrets masked: for a start-up banner or a debug log. */
    public Map<String, String> describe() {
        final Map<String, String> described = new TreeMap<>();
        values.forEach((key, value) -> described.put(key, isSecret(key) ? "[hidden]" : value));
        return described;
    }

    private static boolean isSecret(final String key) {
        final String lower = key.toLowerCase(java.util.Locale.ROOT);
        return lower.contains("password") || lower.contains("jaas") || lower.contains("secret") || lower.contains("user.info")
                || lower.contains("token") || lower.endsWith(".users");
    }
}
