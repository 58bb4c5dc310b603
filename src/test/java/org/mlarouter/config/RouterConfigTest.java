package org.mlarouter.config;

import org.mlarouter.config.TopicRole;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;
import org.mlarouter.avro.AssistanceRequest;
import org.mlarouter.serde.AvroSerdeConfig;
import org.mlarouter.serde.SpecificAvroSerde;

class RouterConfigTest {

    @Test
    void shouldRefuseVersionTwosPlainTextUsersSayingWhatToUseInstead() {
        final ConfigException refused = assertThrows(ConfigException.class,
                () -> new RouterConfig(Map.of(HttpKeys.HTTP_USERS_CONFIG, "alice:s3cret")));
        assertEquals("mla.http.users (plain-text passwords) is no longer read: put the users in a file with 'mla-router users add NAME"
                + " --role ROLE --file FILE' and set mla.http.users.file=FILE", refused.getMessage());
    }

    @Test
    void shouldForwardQueriesOnlyToLoopbackAndListedPeers() {
        final RouterConfig defaults = new RouterConfig(Map.of());
        assertTrue(defaults.isPeer("127.0.0.1") && defaults.isPeer("localhost") && defaults.isPeer("::1"));
        assertTrue(!defaults.isPeer("10.0.0.7") && !defaults.isPeer("router-b.example"), "nothing beyond this machine by default");
        final RouterConfig listed = new RouterConfig(Map.of(HttpKeys.HTTP_PEERS_CONFIG, "router-b.example, 10.0.0.7"));
        assertTrue(listed.isPeer("router-b.example") && listed.isPeer("ROUTER-B.example") && listed.isPeer("10.0.0.7"));
        assertTrue(!listed.isPeer("router-c.example") && !listed.isPeer("10.0.0.70"));
    }

    @Test
    void shouldRefuseUsersOverPlainHttpBeyondLoopbackUnlessToldTo() {
        final ConfigException refused = assertThrows(ConfigException.class, () -> new RouterConfig(Map.of(
                HttpKeys.HTTP_USERS_FILE_CONFIG, "/etc/mla-router/users", HttpKeys.HTTP_HOST_CONFIG, "0.0.0.0")));
        assertTrue(refused.getMessage().contains(HttpKeys.HTTP_HOST_CONFIG) && refused.getMessage().contains("need TLS")
                && refused.getMessage().contains(HttpKeys.HTTP_INSECURE_CONFIG + "=true"), refused.getMessage());

        assertEquals("0.0.0.0", new RouterConfig(Map.of(HttpKeys.HTTP_USERS_FILE_CONFIG, "/etc/mla-router/users", HttpKeys.HTTP_HOST_CONFIG, "0.0.0.0",
                HttpKeys.HTTP_INSECURE_CONFIG, "true")).httpHost(), "told to");
        for (final String loopback : new String[] {"127.0.0.1", "localhost", "::1", "[::1]", "127.0.1.1"}) {
            assertEquals(loopback, new RouterConfig(Map.of(HttpKeys.HTTP_USERS_FILE_CONFIG, "/etc/mla-router/users", HttpKeys.HTTP_HOST_CONFIG,
                    loopback)).httpHost());
        }
        assertEquals("0.0.0.0", new RouterConfig(Map.of(HttpKeys.HTTP_HOST_CONFIG, "0.0.0.0")).httpHost(), "no users, nothing to protect");
    }

    @Test
    void shouldDefaultToTheContractsTopicsAndHomeState() {
        final RouterConfig config = new RouterConfig(Map.of());

        assertEquals("KZ", config.homeState());
        assertEquals("mla.requests", config.topic(TopicRole.REQUESTS));
        assertEquals("mla.treaties", config.topic(TopicRole.TREATIES));
        assertEquals("mla.decisions.accepted", config.topic(TopicRole.ACCEPTED));
        assertEquals("mla.decisions.refused", config.topic(TopicRole.REFUSED));
        assertEquals("mla.decisions.needs-review", config.topic(TopicRole.NEEDS_REVIEW));
        assertEquals("mla.requests.dlq", config.topic(TopicRole.DEAD_LETTERS));
        assertEquals(SpecificAvroSerde.class, config.valueSerdeClass());
        assertEquals("http://127.0.0.1:8081", config.serdeConfigs().get("schema.registry.url"));
    }

    @Test
    void shouldNotWaitOnEmptyInputPartitionsUnlessTold() {
        final java.util.Properties defaults = RouterSettings.of(Map.of()).streamsProperties(Map.of());
        final java.util.Properties told = RouterSettings.of(Map.of("max.task.idle.ms", "0")).streamsProperties(Map.of());

        assertEquals("-1", defaults.get("max.task.idle.ms"));
        assertEquals("262144", defaults.get("producer.batch.size"));
        assertEquals("0", defaults.get("statestore.cache.max.bytes"));
        assertEquals("true", defaults.get("enable.transactional.statestores"), "KIP-892's stores, measured and chosen (docs/benchmarks.md)");
        assertEquals("0", told.get("max.task.idle.ms"));
        assertEquals("false", RouterSettings.of(Map.of("enable.transactional.statestores", "false")).streamsProperties(Map.of())
                .get("enable.transactional.statestores"), "and set back to Kafka's default when told");
    }

    @Test
    void shouldRefuseABadStreamsValueAtOnceNamingItsKey() {
        final ConfigException error = assertThrows(ConfigException.class, () -> RouterSettings.of(Map.of("application.server", "nonsense")));
        assertTrue(error.getMessage().contains("application.server"), error.getMessage());
        assertEquals("127.0.0.1:8080", RouterSettings.of(Map.of("application.server", "127.0.0.1:8080")).get("application.server"));
        assertTrue(assertThrows(ConfigException.class, () -> RouterSettings.of(Map.of("num.stream.threads", "many"))).getMessage()
                .contains("num.stream.threads"));
    }

    @Test
    void shouldNameTheKeyOfABadValue() {
        assertEquals("Invalid value Kazakhstan for configuration mla.home.state: expected an ISO 3166-1 alpha-2 code assigned to a country, such as KZ",
                assertThrows(ConfigException.class, () -> new RouterConfig(Map.of(RouterConfig.HOME_STATE_CONFIG, "Kazakhstan"))).getMessage());
        assertThrows(ConfigException.class, () -> new RouterConfig(Map.of(RouterConfig.HOME_STATE_CONFIG, "ZZ")), "the form, but nobody's");
        assertEquals("Invalid value Europe/Nowhere for configuration mla.home.zone: not a time zone id such as Asia/Almaty or UTC",
                assertThrows(ConfigException.class, () -> new RouterConfig(Map.of(org.mlarouter.config.ReviewKeys.HOME_ZONE_CONFIG, "Europe/Nowhere"))).getMessage());
        assertTrue(assertThrows(ConfigException.class, () -> new RouterConfig(Map.of(RouterConfig.VALUE_SERDE_CLASS_CONFIG, "com.example.NoSuchSerde")))
                .getMessage().contains("mla.value.serde.class"));
        assertEquals("Invalid value mla.requests for configuration mla.topic.refused: the same topic is already configured as mla.topic.requests",
                assertThrows(ConfigException.class, () -> new RouterConfig(Map.of(TopicRole.REFUSED.configKey(), "mla.requests"))).getMessage());
    }

    @Test
    void shouldRejectASerdeClassThatIsNoSerde() {
        final RouterConfig config = new RouterConfig(Map.of(RouterConfig.VALUE_SERDE_CLASS_CONFIG, String.class.getName()));

        final ConfigException error = assertThrows(ConfigException.class, () -> config.valueSerde(AssistanceRequest.class));

        assertTrue(error.getMessage().contains("mla.value.serde.class"), error.getMessage());
    }

    @Test
    void shouldCreateTheConfiguredSerdeClassAndHandItTheSerdeKeys() {
        final RouterConfig config = new RouterConfig(Map.of(
                RouterConfig.VALUE_SERDE_CLASS_CONFIG, RecordingSerde.class.getName(),
                RouterConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://router-config-test",
                "auto.register.schemas", "false",
                "basic.auth.user.info", "agency:secret",
                "bootstrap.servers", "broker:9092"));

        final Serde<AssistanceRequest> serde = config.valueSerde(AssistanceRequest.class);

        final Map<String, ?> seen = ((RecordingSerde) (Serde<?>) serde).configs;
        assertEquals("mock://router-config-test", seen.get("schema.registry.url"));
        assertEquals("false", seen.get("auto.register.schemas"));
        assertEquals("agency:secret", seen.get("basic.auth.user.info"));
        assertEquals(AssistanceRequest.class, seen.get("specific.avro.value.type"));
        assertTrue(!seen.containsKey("bootstrap.servers"), "Kafka client settings are not the serde's");
    }

    @Test
    void shouldNameTheSettingsTheStreamsProtocolIgnoresAndAcceptStaticMembershipWithIt() {
        final Map<String, String> given = Map.of("group.protocol", "streams", "session.timeout.ms", "6000",
                "main.consumer.heartbeat.interval.ms", "1500", "num.standby.replicas", "1");

        assertEquals(Map.of("session.timeout.ms", "streams.session.timeout.ms", "main.consumer.heartbeat.interval.ms",
                "streams.heartbeat.interval.ms", "num.standby.replicas", "streams.num.standby.replicas"),
                RouterSettings.of(given).ignoredByStreamsProtocol());
        assertTrue(RouterSettings.of(given).streamsProtocol());
        assertEquals(Map.of(), RouterSettings.of(Map.of("session.timeout.ms", "6000")).ignoredByStreamsProtocol(), "the classic protocol uses them");
        assertEquals("router-1", RouterSettings.of(Map.of("group.instance.id", "router-1")).get("group.instance.id"), "static membership, classic");
        final RouterSettings staticStreams = RouterSettings.of(Map.of("group.protocol", "streams", "group.instance.id", "router-1"));
        assertEquals("router-1", staticStreams.get("group.instance.id"), "static membership under the streams protocol (Kafka 4.4)");
        assertEquals(Map.of(), staticStreams.ignoredByStreamsProtocol(), "and not among the settings that protocol ignores");
        assertTrue(staticStreams.staticMembership());
        assertTrue(RouterSettings.of(Map.of("main.consumer.group.instance.id", "router-1")).staticMembership(), "prefixed");
        assertTrue(!RouterSettings.of(given).staticMembership(), "dynamic");
    }

    @Test
    void shouldRefuseAnUnknownKeyInTheRoutersOwnNamespacesNamingIt() {
        assertEquals("Unknown configuration key schema.registry.urll: not a setting of the router, its serde, Kafka Streams or a Kafka client",
                assertThrows(ConfigException.class, () -> RouterSettings.of(Map.of("schema.registry.urll", "http://x"))).getMessage());
        assertTrue(assertThrows(ConfigException.class, () -> RouterSettings.of(Map.of("mla.topic.request", "x"))).getMessage()
                .contains("mla.topic.request"));
        assertTrue(assertThrows(ConfigException.class, () -> RouterSettings.of(Map.of("basic.auth.user.inf", "a:b"))).getMessage()
                .contains("basic.auth.user.inf"));
    }

    @Test
    void shouldValidateTheSerdesKeysWithItsConfigDef() {
        final ConfigException badTimeout = assertThrows(ConfigException.class,
                () -> RouterSettings.of(Map.of(AvroSerdeConfig.REQUEST_TIMEOUT_MS_CONFIG, "0")));
        assertTrue(badTimeout.getMessage().contains(AvroSerdeConfig.REQUEST_TIMEOUT_MS_CONFIG), badTimeout.getMessage());
        final ConfigException badUrl = assertThrows(ConfigException.class,
                () -> RouterSettings.of(Map.of(RouterConfig.SCHEMA_REGISTRY_URL_CONFIG, "ftp://registry")));
        assertTrue(badUrl.getMessage().contains(RouterConfig.SCHEMA_REGISTRY_URL_CONFIG), badUrl.getMessage());
    }

    @Test
    void shouldPassAnotherSerdesOwnKeysThrough() {
        final RouterSettings settings = RouterSettings.of(Map.of(RouterConfig.VALUE_SERDE_CLASS_CONFIG, RecordingSerde.class.getName(),
                "schema.registry.ssl.truststore.location", "/etc/truststore.p12"));

        assertEquals("/etc/truststore.p12", settings.serdeConfigs().get("schema.registry.ssl.truststore.location"));
    }

    /** A serde that only records its configuration, standing in for a third-party serde class. */
    public static final class RecordingSerde implements Serde<Object> {
        Map<String, ?> configs;

        @Override
        public void configure(final Map<String, ?> configs, final boolean isKey) {
            this.configs = configs;
        }

        @Override
        public org.apache.kafka.common.serialization.Serializer<Object> serializer() {
            return (topic, data) -> null;
        }

        @Override
        public org.apache.kafka.common.serialization.Deserializer<Object> deserializer() {
            return (topic, data) -> null;
        }
    }
}
