package org.mlarouter.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlarouter.clients.TopicReader;
import org.mlarouter.config.RouterSettings;
import org.mlarouter.clients.TopicSetup;
import org.mlarouter.avro.AssistanceRequest;
import org.mlarouter.avro.TreatyCoverage;
import org.mlarouter.embedded.EmbeddedKafkaBroker;
import org.mlarouter.net.Ports;
import org.mlarouter.registry.SchemaRegistryServer;
import org.mlarouter.serde.InMemorySchemaRegistry;
import org.mlarouter.serde.SpecificAvroSerializer;
import org.mlarouter.testing.Await;
import org.mlarouter.testing.OutputCounts;
import org.mlarouter.testing.Requests;
import org.mlarouter.testing.RouterProcess;
import org.mlarouter.testing.TlsFiles;
import org.mlarouter.config.RouterConfig;
import org.mlarouter.clients.TreatyPublisher;
import org.mlarouter.treaty.TreatyTable;

/**
 * The router against a broker with TLS, SASL/SCRAM authentication and ACLs (KRaft's StandardAuthorizer), configured
 * only through its Kafka properties: its principal does its job with the least-privilege ACLs of {@link #routerAcls},
 * an unauthenticated client (TLS without credentials, or no TLS) is turned away, an authenticated principal without ACLs can neither read decisions nor write
 * coverage, and neither the router's password nor its trust store's appears in its log or its metrics.
 */
class SecurityIT {

    private static final String ROUTER_PASSWORD = "router-Secret-42";
    private static final String TRUST_STORE_PASSWORD = "trust-Store-Secret-7";
    private static final String MECHANISM = "SCRAM-SHA-256";

    @TempDir
    Path workDir;
    private TlsFiles tls;

    private static String jaas(final String user, final String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\"" + password + "\";";
    }

    /** A client over TLS that trusts the broker's certificate, without credentials. */
    private Map<String, Object> tlsClient(final String bootstrap) {
        final Map<String, Object> properties = new HashMap<>();
        properties.put("bootstrap.servers", bootstrap);
        properties.put("security.protocol", "SSL");
        properties.put("ssl.truststore.location", tls.trustStore.toString());
        properties.put("ssl.truststore.type", "PKCS12");
        properties.put("ssl.truststore.password", tls.password);
        return properties;
    }

    /** A client over TLS, authenticated with SCRAM. */
    private Map<String, Object> client(final String bootstrap, final String user, final String password) {
        final Map<String, Object> properties = tlsClient(bootstrap);
        properties.put("security.protocol", "SASL_SSL");
        properties.put("sasl.mechanism", MECHANISM);
        properties.put("sasl.jaas.config", jaas(user, password));
        return properties;
    }

    /** What the router's principal needs, and nothing more. */
    static List<AclBinding> routerAcls(final String principal, final RouterConfig config, final String applicationId) {
        final List<AclBinding> acls = new ArrayList<>();
        for (final String topic : List.of(config.requestsTopic(), config.treatiesTopic())) {
            acls.add(allow(principal, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.READ));
            acls.add(allow(principal, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.DESCRIBE));
        }
        for (final String topic : List.of(config.acceptedTopic(), config.refusedTopic(), config.needsReviewTopic(), config.deadLetterTopic())) {
            acls.add(allow(principal, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.WRITE));
            acls.add(allow(principal, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.DESCRIBE));
        }
        // Internal topics (the changelog of the decided request ids) are named after the application id.
        for (final AclOperation operation : List.of(AclOperation.CREATE, AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE,
                AclOperation.DESCRIBE_CONFIGS)) {
            acls.add(allow(principal, ResourceType.TOPIC, applicationId + "-", PatternType.PREFIXED, operation));
        }
        acls.add(allow(principal, ResourceType.GROUP, applicationId, PatternType.LITERAL, AclOperation.READ));
        acls.add(allow(principal, ResourceType.TRANSACTIONAL_ID, applicationId, PatternType.PREFIXED, AclOperation.WRITE));
        acls.add(allow(principal, ResourceType.TRANSACTIONAL_ID, applicationId, PatternType.PREFIXED, AclOperation.DESCRIBE));
        return acls;
    }

    private static AclBinding allow(final String principal, final ResourceType type, final String name, final PatternType pattern,
                                    final AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, pattern), new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
    }

    @Test
    void shouldRouteWithLeastPrivilegeAndKeepOthersOut() throws Exception {
        tls = TlsFiles.create(workDir, TRUST_STORE_PASSWORD);
        final int port = Ports.free();
        final int controllerPort = Ports.free();
        final Map<String, String> broker = new HashMap<>();
        broker.put("listeners", "SASL_SSL://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        broker.put("advertised.listeners", "SASL_SSL://127.0.0.1:" + port);
        broker.put("listener.security.protocol.map", "SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT");
        broker.put("inter.broker.listener.name", "SASL_SSL");
        broker.put("ssl.keystore.location", tls.keyStore.toString());
        broker.put("ssl.keystore.type", "PKCS12");
        broker.put("ssl.keystore.password", tls.password);
        broker.put("ssl.key.password", tls.password);
        broker.put("ssl.truststore.location", tls.trustStore.toString());
        broker.put("ssl.truststore.type", "PKCS12");
        broker.put("ssl.truststore.password", tls.password);
        broker.put("sasl.enabled.mechanisms", MECHANISM);
        broker.put("sasl.mechanism.inter.broker.protocol", MECHANISM);
        broker.put("listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config", jaas("admin", "admin-secret"));
        broker.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        broker.put("super.users", "User:admin;User:ANONYMOUS");
        broker.put("allow.everyone.if.no.acl.found", "false");
        final List<String> users = List.of(MECHANISM + "=[name=admin,password=admin-secret]",
                MECHANISM + "=[name=router,password=" + ROUTER_PASSWORD + "]", MECHANISM + "=[name=intruder,password=intruder-secret]");

        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start("127.0.0.1", port, controllerPort, workDir.resolve("kafka"), broker, users);
             SchemaRegistryServer registry = SchemaRegistryServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                     new InMemorySchemaRegistry("secure"))) {
            final String bootstrap = kafka.bootstrapServers();
            final RouterSettings settings = RouterSettings.of(Map.of("bootstrap.servers", bootstrap, "schema.registry.url", registry.url().toString()));
            final RouterConfig config = settings.router();
            try (Admin admin = Admin.create(client(bootstrap, "admin", "admin-secret"))) {
                new TopicSetup(admin, config).createMissing(2, (short) 1);
                admin.createAcls(routerAcls("User:router", config, settings.applicationId())).all().get(30, TimeUnit.SECONDS);
            }
            final Map<String, Object> serde = Map.of("schema.registry.url", registry.url().toString());
            final SpecificAvroSerializer<TreatyCoverage> coverage = new SpecificAvroSerializer<>();
            coverage.configure(serde, false);
            try (KafkaProducer<String, TreatyCoverage> producer = new KafkaProducer<>(client(bootstrap, "admin", "admin-secret"), new StringSerializer(), coverage)) {
                new TreatyPublisher(config.treatiesTopic(), Clock.systemUTC()).publish(producer, TreatyTable.shipped("KZ"), Map.of());
            }

            final int httpPort = Ports.free();
            try (RouterProcess router = RouterProcess.start(workDir.resolve("router.log"), List.of("run", "--bootstrap-servers", bootstrap,
                    "--schema-registry-url", registry.url().toString(), "--http-port", String.valueOf(httpPort),
                    "-p", "state.dir=" + workDir.resolve("state"), "-p", "security.protocol=SASL_SSL", "-p", "sasl.mechanism=" + MECHANISM,
                    "-p", "sasl.jaas.config=" + jaas("router", ROUTER_PASSWORD), "-p", "ssl.truststore.location=" + tls.trustStore,
                    "-p", "ssl.truststore.type=PKCS12", "-p", "ssl.truststore.password=" + tls.password)).awaitRunning(Duration.ofSeconds(90))) {
                final SpecificAvroSerializer<AssistanceRequest> requests = new SpecificAvroSerializer<>();
                requests.configure(serde, false);
                try (KafkaProducer<String, AssistanceRequest> producer = new KafkaProducer<>(client(bootstrap, "admin", "admin-secret"),
                        new StringSerializer(), requests)) {
                    for (int i = 0; i < 20; i++) {
                        producer.send(new ProducerRecord<>(config.requestsTopic(), "secure-" + i,
                                Requests.mla("secure-" + i, i % 2 == 0 ? "FR" : "VN", org.mlarouter.avro.Measure.SEARCH).build())).get();
                    }
                }
                final List<String> outputs = List.of(config.acceptedTopic(), config.refusedTopic(), config.needsReviewTopic(), config.deadLetterTopic());
                final Map<String, Object> adminRead = client(bootstrap, "admin", "admin-secret");
                Await.until("20 decisions made by the router's principal", Duration.ofSeconds(90), () -> committedCount(adminRead, outputs) >= 20);

                // TLS without SASL credentials, then no TLS at all: both turned away.
                for (final Map<String, Object> anonymous : List.of(tlsClient(bootstrap),
                        new HashMap<String, Object>(Map.of("bootstrap.servers", bootstrap)))) {
                    anonymous.put("default.api.timeout.ms", 5000);
                    anonymous.put("request.timeout.ms", 4000);
                    try (Admin unauthenticated = Admin.create(anonymous)) {
                        assertThrows(Exception.class, () -> unauthenticated.listTopics().names().get(10, TimeUnit.SECONDS),
                                "a client without credentials is turned away: " + anonymous.get("security.protocol"));
                    }
                }
                final Map<String, Object> intruder = client(bootstrap, "intruder", "intruder-secret");
                try (KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(intruder, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                    reader.assign(List.of(new TopicPartition(config.acceptedTopic(), 0)));
                    reader.seekToBeginning(reader.assignment());
                    assertThrows(TopicAuthorizationException.class, () -> reader.poll(Duration.ofSeconds(10)), "no reading decisions without an ACL");
                }
                final Map<String, Object> intruderProducer = new HashMap<>(intruder);
                intruderProducer.put("max.block.ms", 10000);
                try (KafkaProducer<byte[], byte[]> writer = new KafkaProducer<>(intruderProducer, new ByteArraySerializer(), new ByteArraySerializer())) {
                    final ExecutionException refused = assertThrows(ExecutionException.class, () -> writer.send(new ProducerRecord<>(
                            config.treatiesTopic(), "FR".getBytes(StandardCharsets.UTF_8), new byte[] {0})).get(20, TimeUnit.SECONDS));
                    assertTrue(refused.getCause() instanceof TopicAuthorizationException, "no writing coverage without an ACL: " + refused.getCause());
                }

                final String metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + httpPort + "/metrics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
                assertFalse(metrics.contains(ROUTER_PASSWORD), "the password in /metrics");
                assertFalse(router.log().contains(ROUTER_PASSWORD), "the password in the router's log");
                assertFalse(metrics.contains(TRUST_STORE_PASSWORD), "the trust store password in /metrics");
                assertFalse(router.log().contains(TRUST_STORE_PASSWORD), "the trust store password in the router's log");
                assertEquals(20, committedCount(adminRead, outputs));
            }
        }
    }

    private static int committedCount(final Map<String, Object> properties, final List<String> topics) {
        final Map<String, Object> reader = new HashMap<>(properties);
        reader.put("isolation.level", "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(reader, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            final List<TopicPartition> partitions = org.mlarouter.clients.TopicReader.assign(consumer, topics, true);
            final int[] count = {0};
            org.mlarouter.clients.TopicReader.readToEnd(consumer, partitions, Duration.ofSeconds(30), record -> count[0]++);
            return count[0];
        }
    }
}
