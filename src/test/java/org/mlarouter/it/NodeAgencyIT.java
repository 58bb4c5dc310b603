package org.mlarouter.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mlarouter.config.TopicRole;
import org.mlarouter.testing.Cli;
import org.mlarouter.testing.KafkaStack;
import org.mlarouter.testing.NodeAgency;
import org.mlarouter.testing.RouterUnderTest;
import org.mlarouter.testing.SampleRequests;

/**
 * A Node.js agency (kafkajs 2.2 and @kafkajs/confluent-schema-registry 3.9 from the npm registry) against the router and
 * the embedded Schema Registry: it registers the request schema self-contained and with references, FULL compatibility
 * requested; sends with kafkajs's default and legacy partitioners; reads the decisions with readUncommitted false and
 * decodes them. Every request is decided once, on the topic of its route, carrying the request as sent.
 */
class NodeAgencyIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final KafkaStack KAFKA = KafkaStack.plain();

    @TempDir
    Path workDir;

    @Test
    void shouldDecideEveryRequestANodeAgencySendsWithEitherSchemaAndPartitioner() throws Exception {
        final RouterUnderTest app = KAFKA.router("node", 3);
        final Cli cli = app.cli();
        try (Cli.Background router = app.startInJvm(workDir.resolve("state"), "--http-port", "-1")) {
            cli.run(List.of("treaties", "load"), "src/main/resources/treaties/kz-treaties.json").ok();
            final String decisionTopics = TopicRole.decisions().stream().map(app::topic).collect(Collectors.joining(","));
            final String output = NodeAgency.run(KAFKA.bootstrapServers(), KAFKA.registryUrl(), "schemas", app.topic(TopicRole.REQUESTS),
                    decisionTopics, SampleRequests.FILE.toString(), "90");
            System.out.println("NODE AGENCY OUTPUT\n" + output);

            final List<JsonNode> decisions = new ArrayList<>();
            JsonNode registered = null;
            for (final String line : output.strip().split("\n")) {
                final JsonNode node = JSON.readTree(line);
                if (node.has("registered")) {
                    registered = node.get("registered");
                } else {
                    decisions.add(node);
                }
            }
            assertNotEquals(registered.get("selfContainedId").asInt(), registered.get("withReferencesId").asInt(),
                    "a reference-based schema is a schema of its own");
            final Map<String, String> expected = SampleRequests.expectedRoutes();
            final Map<String, Integer> decided = new HashMap<>();
            for (final JsonNode decision : decisions) {
                final String requestId = decision.get("requestId").asText();
                decided.merge(requestId, 1, Integer::sum);
                assertEquals(requestId, decision.get("key").asText(), "keyed by requestId");
                assertEquals(expected.get(requestId), decision.get("route").asText(), requestId);
                assertEquals(app.topic(TopicRole.of(org.mlarouter.avro.Route.valueOf(decision.get("route").asText()))), decision.get("topic").asText());
                assertTrue(decision.get("requestEqual").asBoolean(), "the decision carries the request as sent: " + requestId);
                assertTrue(decision.get("sealed").asBoolean(), "its personal fields as ciphertext: " + requestId);
            }
            assertEquals(expected.keySet(), decided.keySet(), "every request decided");
            assertTrue(decided.values().stream().allMatch(count -> count == 1), "each once: " + decided);
            assertEquals(0, app.committedByTopic().get(app.topic(TopicRole.DEAD_LETTERS)), "nothing dead-lettered");
        }
    }

}
