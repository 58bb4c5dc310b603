package org.mlarouter.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import org.mlarouter.config.RouterSettings;
import org.mlarouter.cli.MlaRouter;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * What can be checked of docker-compose.yml without a Docker engine: it parses, each service's command and
 * environment use the application's real options and keys, hostnames and ports line up between services, and
 * Prometheus' own promtool accepts the scrape configuration.
 */
class DeploymentFilesTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path COMPOSE = Path.of("docker-compose.yml");

    private final JsonNode compose = read(COMPOSE);
    private final JsonNode services = compose.get("services");

    private static JsonNode read(final Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (final java.io.IOException e) {
            throw new AssertionError(file + " does not parse: " + e.getMessage(), e);
        }
    }

    @Test
    void shouldDefineTheWholeStackWithTheImagesTheIssueNames() {
        assertEquals(Set.of("kafka", "schema-registry", "signing-key", "kek", "router", "treaties", "prometheus", "grafana"), names(services));
        assertTrue(services.get("kafka").get("image").asText().startsWith("apache/kafka:"));
        assertTrue(services.get("schema-registry").get("image").asText().startsWith("confluentinc/cp-schema-registry:"));
        assertEquals(".", services.get("router").get("build").asText());
        assertTrue(Files.exists(Path.of("Dockerfile")));
    }

    @Test
    void shouldNameEveryImageByExactVersionAndRunTheBuildsKafka() throws Exception {
        final java.util.regex.Pattern exact = java.util.regex.Pattern.compile("[^:]+:v?\\d+\\.\\d+\\.\\d+[^:]*");
        for (final String service : names(services)) {
            final JsonNode image = services.get(service).get("image");
            if (image != null && !image.asText().startsWith("mla-router:")) {
                assertTrue(exact.matcher(image.asText()).matches(), service + ": " + image.asText() + " is not named by an exact version");
            }
        }
        final List<String> bases = Files.readAllLines(Path.of("Dockerfile")).stream().filter(line -> line.startsWith("FROM "))
                .map(line -> line.split("\\s+")[1]).toList();
        assertEquals(2, bases.size(), "a build stage and a runtime stage: " + bases);
        for (final String base : bases) {
            assertTrue(exact.matcher(base).matches(), "Dockerfile: " + base + " is not named by an exact version");
        }
        final java.util.Properties kafka = new java.util.Properties();
        try (java.io.InputStream in = DeploymentFilesTest.class.getResourceAsStream("/kafka/kafka-version.properties")) {
            kafka.load(in);
        }
        assertEquals("apache/kafka:" + kafka.getProperty("version"), services.get("kafka").get("image").asText(),
                "the compose file's broker is the Kafka release the router is built with");
    }

    @Test
    void shouldUseOnlyRealOptionsAndKeysInTheRouterServices() {
        for (final String service : List.of("router", "treaties")) {
            final List<String> command = strings(services.get(service).get("command"));
            final CommandLine commandLine = MlaRouter.commandLine(Map.of(), quiet(), quiet());
            final CommandLine.ParseResult parsed = commandLine.parseArgs(command.toArray(String[]::new));
            CommandLine.ParseResult leaf = parsed;
            while (leaf.hasSubcommand()) {
                leaf = leaf.subcommand();
            }
            final Set<String> appVariables = new HashSet<>();
            for (final OptionSpec option : leaf.commandSpec().options()) {
                appVariables.add("APP_" + option.longestName().replaceFirst("^-+", "").toUpperCase(Locale.ROOT).replace('-', '_'));
            }
            final Iterator<String> variables = services.get(service).get("environment").fieldNames();
            while (variables.hasNext()) {
                final String variable = variables.next();
                if (variable.startsWith("APP_")) {
                    assertTrue(appVariables.contains(variable), service + ": " + variable + " is no option of '" + String.join(" ", command) + "'");
                } else {
                    assertTrue(variable.startsWith("KAFKA_"), service + ": " + variable + " is neither APP_* nor KAFKA_*");
                    final String key = variable.substring("KAFKA_".length()).toLowerCase(Locale.ROOT).replace('_', '.');
                    assertTrue(RouterSettings.isKnown(key), service + ": " + variable + " maps to unknown key " + key);
                }
            }
        }
    }

    @Test
    void shouldMakeTheSigningKeyTheRouterReads() {
        final List<String> command = strings(services.get("signing-key").get("command"));
        final CommandLine.ParseResult parsed = MlaRouter.commandLine(Map.of(), quiet(), quiet()).parseArgs(command.toArray(String[]::new));
        assertEquals("new", parsed.subcommand().subcommand().commandSpec().name(), "a real command: " + command);
        assertEquals(command.get(command.size() - 1), services.get("router").get("environment").get("KAFKA_MLA_REVIEW_SIGNING_KEY_FILE").asText());
        assertEquals("service_completed_successfully", services.get("router").get("depends_on").get("signing-key").get("condition").asText());
        final List<String> kek = strings(services.get("kek").get("command"));
        assertEquals("kek-new", MlaRouter.commandLine(Map.of(), quiet(), quiet()).parseArgs(kek.toArray(String[]::new)).subcommand().subcommand()
                .commandSpec().name());
        assertEquals(kek.get(kek.size() - 1), services.get("router").get("environment").get("KAFKA_MLA_PERSONAL_DATA_KEK_FILE").asText());
        assertEquals("service_completed_successfully", services.get("router").get("depends_on").get("kek").get("condition").asText());
    }

    @Test
    void shouldPublishOnLoopbackOnlyAndMakeGrafanaSignIn() {
        services.fields().forEachRemaining(service -> {
            final JsonNode ports = service.getValue().get("ports");
            for (final String port : ports == null ? List.<String>of() : strings(ports)) {
                assertTrue(port.startsWith("127.0.0.1:"), service.getKey() + " publishes " + port + " beyond this machine");
            }
        });
        final JsonNode grafana = services.get("grafana").get("environment");
        assertEquals("false", grafana.get("GF_AUTH_ANONYMOUS_ENABLED").asText());
        assertTrue(grafana.get("GF_SECURITY_ADMIN_PASSWORD").asText().startsWith("${GRAFANA_ADMIN_PASSWORD:?"),
                "no default admin password: compose refuses to start without one");
    }

    @Test
    void shouldLineUpHostnamesAndPorts() throws Exception {
        final JsonNode router = services.get("router").get("environment");
        final JsonNode kafka = services.get("kafka").get("environment");
        final String internalListener = kafka.get("KAFKA_ADVERTISED_LISTENERS").asText().split(",")[0];
        assertEquals("INTERNAL://" + router.get("APP_BOOTSTRAP_SERVERS").asText(), internalListener);
        assertEquals("PLAINTEXT://" + router.get("APP_BOOTSTRAP_SERVERS").asText(),
                services.get("schema-registry").get("environment").get("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS").asText());
        assertEquals("kafka", services.get("kafka").get("hostname").asText());

        final String registryUrl = router.get("APP_SCHEMA_REGISTRY_URL").asText();
        assertEquals("http://" + services.get("schema-registry").get("hostname").asText() + ":8081", registryUrl);
        assertTrue(strings(services.get("schema-registry").get("ports")).contains("127.0.0.1:8081:8081"));
        assertEquals(registryUrl, services.get("treaties").get("environment").get("APP_SCHEMA_REGISTRY_URL").asText());

        final String httpPort = router.get("APP_HTTP_PORT").asText();
        assertEquals("0.0.0.0", router.get("APP_HTTP_HOST").asText(), "Prometheus scrapes the router from another container");
        assertTrue(strings(services.get("router").get("ports")).contains("127.0.0.1:" + httpPort + ":" + httpPort));
        final JsonNode prometheus = read(Path.of("deploy/prometheus/prometheus.yml"));
        assertEquals(List.of(services.get("router").get("hostname").asText() + ":" + httpPort),
                strings(prometheus.get("scrape_configs").get(0).get("static_configs").get(0).get("targets")));
        assertEquals("/metrics", prometheus.get("scrape_configs").get(0).get("metrics_path").asText());

        final JsonNode datasource = read(Path.of("deploy/grafana/provisioning/datasources/prometheus.yml")).get("datasources").get(0);
        assertEquals("http://prometheus:9090", datasource.get("url").asText());
        assertTrue(strings(services.get("prometheus").get("ports")).contains("127.0.0.1:9090:9090"));
        for (final String mount : strings(services.get("prometheus").get("volumes"))) {
            assertTrue(Files.exists(Path.of(mount.split(":")[0])), "mounted file exists: " + mount);
        }
        for (final String mount : strings(services.get("grafana").get("volumes"))) {
            assertTrue(Files.isDirectory(Path.of(mount.split(":")[0])), "mounted folder exists: " + mount);
        }
        final JsonNode dashboard = new ObjectMapper().readTree(Path.of("deploy/grafana/dashboards/mla-router.json").toFile());
        for (final JsonNode panel : dashboard.get("panels")) {
            assertEquals(datasource.get("uid").asText(), panel.get("datasource").get("uid").asText(), panel.get("title").asText());
        }
    }

    @Test
    void shouldPassPromtool() throws Exception {
        final Process promtool = new ProcessBuilder("promtool", "check", "config", "deploy/prometheus/prometheus.yml")
                .redirectErrorStream(true).start();
        assertTrue(promtool.waitFor(60, TimeUnit.SECONDS), "promtool did not finish");
        final String output = new String(promtool.getInputStream().readAllBytes());
        assertEquals(0, promtool.exitValue(), output);
        assertTrue(output.contains("SUCCESS"), output);
    }

    private static Set<String> names(final JsonNode object) {
        final Set<String> names = new HashSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> strings(final JsonNode array) {
        final List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream());
    }
}
