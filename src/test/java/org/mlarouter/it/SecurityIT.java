package org.mlarouter.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mlarouter.avro.AssistanceRequest;
import org.mlarouter.avro.Measure;
import org.mlarouter.config.HttpKeys;
import org.mlarouter.config.RouterConfig;
import org.mlarouter.config.TopicRole;
import org.mlarouter.net.Ports;
import org.mlarouter.testing.Await;
import org.mlarouter.testing.KafkaStack;
import org.mlarouter.testing.OutputCounts;
import org.mlarouter.testing.Requests;
import org.mlarouter.testing.RouterProcess;
import org.mlarouter.testing.RouterUnderTest;
import org.mlarouter.testing.TlsFiles;
import org.mlarouter.testing.UsersFiles;

/**
 * The router against a broker with TLS, SASL/SCRAM authentication and ACLs (KRaft's StandardAuthorizer), configured
 * only through its Kafka properties: its principal does its job with the least-privilege ACLs of {@link #routerAcls},
 * an unauthenticated client (TLS without credentials, or no TLS) is turned away, an authenticated principal without
 * ACLs can neither read decisions nor write coverage, and neither the router's password nor its trust store's appears
 * in its log or its metrics.
 */
class SecurityIT {

    private static final String ROUTER_PASSWORD = "router-Secret-42";
    private static final String TRUST_STORE_PASSWORD = "trust-Store-Secret-7";
    private static final String MECHANISM = "SCRAM-SHA-256";
    private static TlsFiles tls;

    @RegisterExtension
    static final KafkaStack KAFKA = KafkaStack.configured(SecurityIT::secureBroker, List.of(
            MECHANISM + "=[name=admin,password=admin-secret]", MECHANISM + "=[name=router,password=" + ROUTER_PASSWORD + "]",
            MECHANISM + "=[name=intruder,password=intruder-secret]", MECHANISM + "=[name=reviewer,password=reviewer-secret]"));

    @TempDir
    Path workDir;

    /** A broker whose only client listener is SASL_SSL, with SCRAM users and ACLs. */
    private static Map<String, String> secureBroker(final KafkaStack stack) {
        try {
            tls = TlsFiles.create(stack.dataDir(), TRUST_STORE_PASSWORD);
        } catch (final Exception e) {
            throw new IllegalStateException("cannot make the test certificate", e);
        }
        final Map<String, String> broker = new HashMap<>();
        broker.put("listeners", "SASL_SSL://127.0.0.1:" + stack.kafkaPort() + ",CONTROLLER://127.0.0.1:" + stack.controllerPort());
        broker.put("advertised.listeners", "SASL_SSL://127.0.0.1:" + stack.kafkaPort());
        broker.put("listener.security.protocol.map", "SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT");
        broker.put("inter.broker.listener.name", "SASL_SSL");
        broker.put(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, tls.keyStore.toString());
        broker.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "PKCS12");
        broker.put(SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, tls.password);
        broker.put(SslConfigs.SSL_KEY_PASSWORD_CONFIG, tls.password);
        broker.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, tls.trustStore.toString());
        broker.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12");
        broker.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, tls.password);
        broker.put("sasl.enabled.mechanisms", MECHANISM);
        broker.put("sasl.mechanism.inter.broker.protocol", MECHANISM);
        broker.put("listener.name.sasl_ssl.scram-sha-256." + SaslConfigs.SASL_JAAS_CONFIG, jaas("admin", "admin-secret"));
        broker.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        broker.put("super.users", "User:admin;User:ANONYMOUS");
        broker.put("allow.everyone.if.no.acl.found", "false");
        return broker;
    }

    private static String jaas(final String user, final String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\"" + password + "\";";
    }

    /** A client over TLS that trusts the broker's certificate, without credentials. */
    private static Map<String, String> tlsClient() {
        final Map<String, String> properties = new HashMap<>();
        properties.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL");
        properties.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, tls.trustStore.toString());
        properties.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12");
        properties.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, tls.password);
        return properties;
    }

    /** A client over TLS, authenticated with SCRAM. */
    private static Map<String, String> client(final String user, final String password) {
        final Map<String, String> properties = tlsClient();
        properties.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
        properties.put(SaslConfigs.SASL_MECHANISM, MECHANISM);
        properties.put(SaslConfigs.SASL_JAAS_CONFIG, jaas(user, password));
        return properties;
    }

    /** What the router's principal needs, and nothing more. */
    static List<AclBinding> routerAcls(final String principal, final RouterConfig config, final String applicationId) {
        final List<AclBinding> acls = new ArrayList<>();
        for (final TopicRole role : TopicRole.values()) {
            final boolean input = role.isInput();
            acls.add(allow(principal, ResourceType.TOPIC, config.topic(role), PatternType.LITERAL, input ? AclOperation.READ : AclOperation.WRITE));
            acls.add(allow(principal, ResourceType.TOPIC, config.topic(role), PatternType.LITERAL, AclOperation.DESCRIBE));
        }
        // The router writes the outcomes of signed-in reviewers, signed; nobody else writes the review topic.
        acls.add(allow(principal, ResourceType.TOPIC, config.topic(TopicRole.REVIEWS), PatternType.LITERAL, AclOperation.WRITE));
        // It applies the coverage changes signed-in supervisors make through its API, and keeps and reads their record.
        acls.add(allow(principal, ResourceType.TOPIC, config.topic(TopicRole.TREATIES), PatternType.LITERAL, AclOperation.WRITE));
        acls.add(allow(principal, ResourceType.TOPIC, config.topic(TopicRole.TREATY_CHANGES), PatternType.LITERAL, AclOperation.READ));
        // It writes each request's data key and reads them all back (a global table).
        acls.add(allow(principal, ResourceType.TOPIC, config.topic(TopicRole.KEYS), PatternType.LITERAL, AclOperation.READ));
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
        final RouterUnderTest asAdmin = KAFKA.router("secure", 2, client("admin", "admin-secret"));
        try (Admin admin = asAdmin.clients().admin()) {
            admin.createAcls(routerAcls("User:router", asAdmin.config(), asAdmin.settings().applicationId())).all().get(30, TimeUnit.SECONDS);
        }
        asAdmin.publishShippedTreaties();
        final RouterUnderTest asRouter = asAdmin.with(client("router", ROUTER_PASSWORD));

        final int httpPort = Ports.free();
        try (RouterProcess router = asRouter.startProcess(workDir.resolve("router.log"), workDir.resolve("state"),
                "--http-port", String.valueOf(httpPort), "-p", HttpKeys.HTTP_USERS_FILE_CONFIG + "="
                        + UsersFiles.write(workDir, "PG-REVIEWER-07:review-secret:reviewer", "ops:ops-secret:operator"))) {
            try (KafkaProducer<String, AssistanceRequest> producer = asAdmin.clients().producer(AssistanceRequest.class)) {
                for (int i = 0; i < 20; i++) {
                    producer.send(new ProducerRecord<>(asAdmin.topic(TopicRole.REQUESTS), "secure-" + i,
                            Requests.mla("secure-" + i, i % 2 == 0 ? "FR" : "VN", Measure.SEARCH).build())).get();
                }
            }
            Await.until("20 decisions made by the router's principal", Duration.ofSeconds(90), () -> committed(asAdmin) >= 20);

            // TLS without SASL credentials, then no TLS at all: both turned away.
            for (final Map<String, String> anonymous : List.of(tlsClient(), Map.<String, String>of())) {
                final Map<String, Object> properties = new HashMap<>(anonymous);
                properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
                properties.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
                properties.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, 4000);
                try (Admin unauthenticated = Admin.create(properties)) {
                    assertThrows(Exception.class, () -> unauthenticated.listTopics().names().get(10, TimeUnit.SECONDS),
                            "a client without credentials is turned away: " + anonymous.get(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG));
                }
            }
            final RouterUnderTest asIntruder = asAdmin.with(client("intruder", "intruder-secret"));
            try (KafkaConsumer<byte[], byte[]> reader = OutputCounts.rawConsumer(asIntruder.settings())) {
                reader.assign(List.of(new TopicPartition(asIntruder.topic(TopicRole.ACCEPTED), 0)));
                reader.seekToBeginning(reader.assignment());
                assertThrows(TopicAuthorizationException.class, () -> reader.poll(Duration.ofSeconds(10)), "no reading decisions without an ACL");
            }
            assertRefusedWrite(asIntruder, TopicRole.TREATIES, "no writing coverage without an ACL");

            // A tool with a wrong password gives up at once, with one line.
            final org.mlarouter.testing.Cli.Result refused = asAdmin.with(client("router", "not-the-password")).cli()
                    .run(List.of("tail"), "--max-messages", "1", "-p", org.mlarouter.config.RouterConfig.TOOLS_TIMEOUT_CONFIG + "=10s");
            assertEquals(1, refused.exitCode);
            assertTrue(refused.err.startsWith("mla-router: Kafka at " + KAFKA.bootstrapServers() + " refused the credentials")
                    && refused.err.lines().count() == 1, refused.err);
            assertFalse(refused.err.contains("not-the-password"), "no password in the message");

            // Only the router's principal writes outcomes: the reviewer signs in to the router, whose principal writes them.
            final RouterUnderTest asReviewer = asAdmin.with(client("reviewer", "reviewer-secret"));
            assertRefusedWrite(asReviewer, TopicRole.REVIEWS, "a reviewer's principal cannot write outcomes: the router does");
            assertRefusedWrite(asReviewer, TopicRole.TREATIES, "a reviewer cannot write coverage");
            try (KafkaConsumer<byte[], byte[]> reader = OutputCounts.rawConsumer(asReviewer.settings())) {
                reader.assign(List.of(new TopicPartition(asReviewer.topic(TopicRole.REQUESTS), 0)));
                reader.seekToBeginning(reader.assignment());
                assertThrows(TopicAuthorizationException.class, () -> reader.poll(Duration.ofSeconds(10)), "a reviewer cannot read requests");
            }
            assertRefusedWrite(asIntruder, TopicRole.REVIEWS, "no writing outcomes without an ACL");
            final HttpResponse<String> review = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + httpPort + "/api/requests/secure-1/review"))
                    .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("PG-REVIEWER-07:review-secret".getBytes(StandardCharsets.UTF_8)))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"decision\":\"ACCEPTED\",\"grounds\":\"Reciprocity confirmed\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, review.statusCode(), review.body());
            assertTrue(review.body().contains("\"reviewer\":\"PG-REVIEWER-07\""), review.body());

            final String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + httpPort + "/metrics")).header("Authorization", "Basic "
                    + java.util.Base64.getEncoder().encodeToString("ops:ops-secret".getBytes(StandardCharsets.UTF_8))).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertFalse(metrics.contains(ROUTER_PASSWORD), "the password in /metrics");
            assertFalse(router.log().contains(ROUTER_PASSWORD), "the password in the router's log");
            assertFalse(metrics.contains(TRUST_STORE_PASSWORD), "the trust store password in /metrics");
            assertFalse(router.log().contains(TRUST_STORE_PASSWORD), "the trust store password in the router's log");
            // The 20 first decisions, and the final decision of the request the reviewer accepted (secure-1, to Vietnam).
            Await.until("the reviewer's outcome applied", Duration.ofSeconds(60), () -> committed(asAdmin) >= 21);
            assertEquals(21, committed(asAdmin));
        }
    }

    private static void assertRefusedWrite(final RouterUnderTest as, final TopicRole role, final String what) {
        final Map<String, Object> properties = as.settings().producerProperties();
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10000);
        try (KafkaProducer<byte[], byte[]> writer = new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer())) {
            final ExecutionException refused = assertThrows(ExecutionException.class, () -> writer.send(new ProducerRecord<>(
                    as.topic(role), "FR".getBytes(StandardCharsets.UTF_8), new byte[] {0})).get(20, TimeUnit.SECONDS), what);
            assertTrue(refused.getCause() instanceof TopicAuthorizationException, what + ": " + refused.getCause());
        }
    }

    private static int committed(final RouterUnderTest app) {
        return app.committedByTopic().values().stream().mapToInt(Integer::intValue).sum();
    }
}
