package org.mlarouter.topology;

import org.mlarouter.config.TopicRole;
import org.mlarouter.avro.Route;
import org.mlarouter.avro.RoutingDecision;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlarouter.avro.AssistanceRequest;
import org.mlarouter.config.ReviewKeys;
import org.mlarouter.config.PersonalDataKeys;
import org.mlarouter.config.RouterConfig;
import org.mlarouter.json.AvroJson;
import org.mlarouter.serde.ConfluentFraming;
import org.mlarouter.serde.MockSchemaRegistry;

/**
 * 100,000 mutations of valid requests through the real topology: bit flips, truncations, bytes added, corrupted length
 * prefixes, forged schema ids, huge declared lengths. Each ends as exactly one decision or one dead letter, nothing
 * escapes the topology, and no declared length is allocated (a 2 GB string in a record of a few hundred bytes).
 */
class DecodeFuzzTest {

    private static final int MUTATIONS = 100_000;

    @TempDir
    Path stateDir;

    private final String scope = "fuzz-" + UUID.randomUUID();
    private TopologyTestDriver driver;

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
        MockSchemaRegistry.dropScope(scope);
    }

    @Test
    void shouldTurnEveryMutationIntoOneDecisionOrOneDeadLetter() throws Exception {
        final RouterConfig config = new RouterConfig(Map.of(RouterConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://" + scope,
                ReviewKeys.REVIEW_SIGNING_KEY_FILE_CONFIG, org.mlarouter.testing.SigningKeys.file(),
            PersonalDataKeys.PERSONAL_DATA_KEK_FILE_CONFIG, org.mlarouter.testing.SigningKeys.kekFile()));
        final RouterTopics topics = RouterTopics.from(config);
        final Properties streamsConfig = new Properties();
        streamsConfig.putAll(RouterTopology.requiredStreamsConfig(config));
        streamsConfig.put(StreamsConfig.APPLICATION_ID_CONFIG, "fuzz");
        streamsConfig.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        streamsConfig.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        streamsConfig.put(RouterContext.CONFIG, RouterContext.NONE.withClock(Clock.fixed(Instant.parse("2026-11-24T10:00:00Z"), ZoneOffset.UTC)));
        driver = new TopologyTestDriver(RouterTopology.build(config), streamsConfig);
        final TestInputTopic<String, byte[]> requests = driver.createInputTopic(topics.of(TopicRole.REQUESTS, AssistanceRequest.class).name(), Serdes.String().serializer(),
                Serdes.ByteArray().serializer());

        final List<byte[]> valid = new ArrayList<>();
        for (final String line : Files.readAllLines(Path.of("examples/requests.jsonl"))) {
            valid.add(topics.of(TopicRole.REQUESTS, AssistanceRequest.class).valueSerde().serializer().serialize(topics.of(TopicRole.REQUESTS, AssistanceRequest.class).name(), AvroJson.parse(line, AssistanceRequest.class)));
        }
        final List<TestOutputTopic<String, byte[]>> decisionTopics = new ArrayList<>();
        for (final Topic<String, org.mlarouter.avro.RoutingDecision> topic : List.of(topics.decisions(Route.ACCEPTED), topics.decisions(Route.REFUSED), topics.decisions(Route.NEEDS_REVIEW))) {
            decisionTopics.add(driver.createOutputTopic(topic.name(), Serdes.String().deserializer(), Serdes.ByteArray().deserializer()));
        }
        final TestOutputTopic<byte[], byte[]> deadLetterTopic = driver.createOutputTopic(topics.raw(TopicRole.DEAD_LETTERS).name(),
                Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
        final Random random = new Random(20261124L);
        final Map<String, Integer> kinds = new TreeMap<>();
        long decisions = 0;
        long deadLetters = 0;
        long refusedLengths = 0;
        for (int i = 0; i < MUTATIONS; i++) {
            final byte[] original = valid.get(random.nextInt(valid.size()));
            final String kind = Mutation.values()[i % Mutation.values().length].name();
            kinds.merge(kind, 1, Integer::sum);
            requests.pipeInput("fuzz-" + i, Mutation.valueOf(kind).apply(original, random));
            // Drained as it goes: the driver keeps every output in memory.
            if (i % 1000 == 999 || i == MUTATIONS - 1) {
                for (final TestOutputTopic<String, byte[]> topic : decisionTopics) {
                    decisions += topic.readRecordsToList().size();
                }
                for (final org.apache.kafka.streams.test.TestRecord<byte[], byte[]> letter : deadLetterTopic.readRecordsToList()) {
                    deadLetters++;
                    final String message = DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.MESSAGE);
                    if (message != null && message.contains("longer than")) {
                        refusedLengths++;
                    }
                }
            }
        }
        System.out.printf("FUZZ %d mutations %s: %d decisions, %d dead letters (%d declared lengths refused)%n", MUTATIONS, kinds,
                decisions, deadLetters, refusedLengths);
        assertEquals(MUTATIONS, decisions + deadLetters, "each mutation ends as exactly one decision or one dead letter");
        assertTrue(deadLetters > MUTATIONS / 2, "most mutations are not valid requests");
        assertTrue(refusedLengths > 0, "declared lengths beyond the limit were refused, not allocated");
        assertEquals("16777216", System.getProperty("org.apache.avro.limits.string.maxLength"), "the router's bound on declared lengths");
    }

    /** How a valid framed request is damaged. */
    private enum Mutation {
        BIT_FLIP {
            @Override
            byte[] apply(final byte[] original, final Random random) {
                final byte[] mutated = original.clone();
                for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                    final int at = ConfluentFraming.HEADER_LENGTH + random.nextInt(mutated.length - ConfluentFraming.HEADER_LENGTH);
                    mutated[at] ^= (byte) (1 << random.nextInt(8));
                }
                return mutated;
            }
        },
        TRUNCATION {
            @Override
            byte[] apply(final byte[] original, final Random random) {
                return Arrays.copyOf(original, random.nextInt(original.length));
            }
        },
        BYTES_ADDED {
            @Override
            byte[] apply(final byte[] original, final Random random) {
                final byte[] mutated = Arrays.copyOf(original, original.length + 1 + random.nextInt(16));
                for (int i = original.length; i < mutated.length; i++) {
                    mutated[i] = (byte) random.nextInt(256);
                }
                return mutated;
            }
        },
        LENGTH_PREFIX {
            @Override
            byte[] apply(final byte[] original, final Random random) {
                // The first field is the requestId: its zig-zag length prefix follows the header.
                final byte[] mutated = original.clone();
                mutated[ConfluentFraming.HEADER_LENGTH] = (byte) random.nextInt(256);
                return mutated;
            }
        },
        FORGED_SCHEMA_ID {
            @Override
            byte[] apply(final byte[] original, final Random random) {
                final byte[] mutated = original.clone();
                ConfluentFraming.writeHeader(mutated, 1 + random.nextInt(1_000_000));
                return mutated;
            }
        },
        HUGE_DECLARED_LENGTH {
            @Override
            byte[] apply(final byte[] original, final Random random) {
                // A zig-zag varint of about 2^31 - 1 in place of the requestId's length: a 2 GB string in a small record.
                final byte[] huge = {(byte) 0xfe, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0x0f};
                final byte[] mutated = new byte[original.length + huge.length - 1];
                System.arraycopy(original, 0, mutated, 0, ConfluentFraming.HEADER_LENGTH);
                System.arraycopy(huge, 0, mutated, ConfluentFraming.HEADER_LENGTH, huge.length);
                System.arraycopy(original, ConfluentFraming.HEADER_LENGTH + 1, mutated, ConfluentFraming.HEADER_LENGTH + huge.length,
                        original.length - ConfluentFraming.HEADER_LENGTH - 1);
                return mutated;
            }
        };

        abstract byte[] apply(byte[] original, Random random);
    }
}
