package org.mlarouter.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mlarouter.config.RouterSettings;
import org.mlarouter.clients.TopicReader;
import org.mlarouter.config.TopicRole;
import org.mlarouter.serde.AvroSerdeConfig;
import org.mlarouter.avro.AssistanceRequest;
import org.mlarouter.avro.InstrumentStatus;
import org.mlarouter.avro.Measure;
import org.mlarouter.avro.RoutingDecision;
import org.mlarouter.avro.TreatyCoverage;
import org.mlarouter.net.Ports;
import org.mlarouter.serde.ConfluentFraming;
import org.mlarouter.serde.SpecificAvroDeserializer;
import org.mlarouter.serde.SpecificAvroSerializer;
import org.mlarouter.testing.Await;
import org.mlarouter.testing.KafkaStack;
import org.mlarouter.testing.OutputCounts;
import org.mlarouter.testing.RouterUnderTest;
import org.mlarouter.testing.OtherWriters;
import org.mlarouter.testing.Requests;
import org.mlarouter.testing.RouterProcess;
import org.mlarouter.topology.DeadLetterHeaders;
import org.mlarouter.treaty.TreatyTable;

/**
 * A catalogue of bad input on the request topic and the treaty topic, against the router running as a process of its
 * own: each bad request gets a dead letter with its reason or a NEEDS_REVIEW decision, no bad coverage record replaces
 * a good one, the router keeps running, and no subject's name appears in its log, its metrics or a dead-letter header.
 */
class BadInputIT {

    private static final String NAME = Requests.SUBJECT_NAME;

    @RegisterExtension
    static final KafkaStack KAFKA = KafkaStack.plain();

    @TempDir
    Path workDir;

    private static HttpResponse<String> replayAs(final String url, final String credentials) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Basic "
                + java.util.Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8))).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldReplayDeadLettersOnceTheirCauseIsFixedAndEachOnlyOnce() throws Exception {
        final RouterUnderTest app = KAFKA.router("replay", 3).publishShippedTreaties();
        final org.mlarouter.testing.Cli cli = app.cli();
        final String sample = java.nio.file.Files.readAllLines(org.mlarouter.testing.SampleRequests.FILE).get(0);
        final String large = sample.replace("KZ-PG-2026-0001", "LARGE-1").replace("Embezzlement of bank funds, case 2026-117",
                "Embezzlement of bank funds, case 2026-117. " + "The sums moved through the accounts are listed in the annex. ".repeat(40));
        final Path lines = java.nio.file.Files.writeString(workDir.resolve("requests.jsonl"), large + "\n" + sample + "\n");
        // A configuration mistake: a limit on requests far too low for this one.
        try (org.mlarouter.testing.Cli.Background router = app.startInJvm(workDir.resolve("state"), "-p",
                org.mlarouter.config.RouterConfig.MAX_REQUEST_BYTES_CONFIG + "=1500")) {
            cli.run(List.of("submit"), lines.toString()).ok();
            Await.until("the large request dead-lettered, the other decided", Duration.ofSeconds(60),
                    () -> app.committedByTopic().getOrDefault(app.topic(TopicRole.DEAD_LETTERS), 0) == 1 && app.committedByKey().containsKey("KZ-PG-2026-0001"));
        }
        final org.mlarouter.testing.Cli.Result listed = cli.run(List.of("dlq", "list"), "--reason", "REQUEST_TOO_LARGE").ok();
        assertTrue(listed.out.contains("REQUEST_TOO_LARGE") && listed.out.contains("1 dead letter on " + app.topic(TopicRole.DEAD_LETTERS)), listed.out);
        assertFalse(listed.out.contains("Embezzlement") || listed.out.contains(NAME), "headers only, never content: " + listed.out);
        // Fixed: the router runs with the default limit again; the dead letter goes back, and is decided.
        final int httpPort = Ports.free();
        final String users = org.mlarouter.config.HttpKeys.HTTP_USERS_FILE_CONFIG + "=" + org.mlarouter.testing.UsersFiles.write(workDir,
                "ops:ops-secret:operator", "look:look-secret:viewer");
        try (org.mlarouter.testing.Cli.Background router = app.startInJvm(workDir.resolve("state"), "--http-port", String.valueOf(httpPort), "-p", users)) {
            final org.mlarouter.testing.Cli.Result replayed = cli.run(List.of("dlq", "replay"), "--reason", "REQUEST_TOO_LARGE").ok();
            assertTrue(replayed.out.startsWith("Replayed 1 dead letter (REQUEST_TOO_LARGE) to " + app.topic(TopicRole.REQUESTS)), replayed.out);
            // Counted by key over the decision topics and the dead-letter topic: its dead letter, then its decision.
            Await.until("the replayed request decided", Duration.ofSeconds(60), () -> app.committedByKey().getOrDefault("LARGE-1", 0) == 2);
            // Again, through the API, as an operator: nothing is sent twice. A viewer may not.
            final String replay = "http://127.0.0.1:" + httpPort + "/api/dead-letters/replay?reason=REQUEST_TOO_LARGE";
            assertEquals(403, replayAs(replay, "look:look-secret").statusCode(), "only an operator replays");
            final HttpResponse<String> again = replayAs(replay, "ops:ops-secret");
            assertEquals(200, again.statusCode(), again.body());
            assertTrue(again.body().contains("\"replayed\":0,\"alreadyReplayed\":1"), "each dead letter once: " + again.body());
            assertEquals(1, app.committedByTopic().getOrDefault(app.topic(TopicRole.DEAD_LETTERS), 0), "no new dead letter");
            assertEquals(Map.of("KZ-PG-2026-0001", 1, "LARGE-1", 2), app.committedByKey(), "one decision each, and the one dead letter");
        }
    }

    @Test
    void shouldDeadLetterOrReviewEveryKindOfBadInputAndKeepRunning() throws Exception {
        final RouterUnderTest app = KAFKA.router("bad-input", 3).publishShippedTreaties();
        final RouterSettings settings = app.settings();
        final String requests = app.topic(TopicRole.REQUESTS);
        final Map<String, Object> serde = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, KAFKA.registryUrl());
        final SpecificAvroSerializer<AssistanceRequest> requestSerializer = new SpecificAvroSerializer<>();
        requestSerializer.configure(serde, false);
        final SpecificAvroSerializer<TreatyCoverage> coverageSerializer = new SpecificAvroSerializer<>();
        coverageSerializer.configure(serde, false);
        final TreatyTable shipped = TreatyTable.shipped(app.config().homeState());
        final int httpPort = Ports.free();

        try (RouterProcess router = app.startProcess(workDir.resolve("router.log"), workDir.resolve("state"), "--http-port", String.valueOf(httpPort));
             KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(settings.producerProperties(), new ByteArraySerializer(), new ByteArraySerializer())) {
            final byte[] valid = requestSerializer.serialize(requests, Requests.mla("valid", "FR", Measure.SEARCH).build());

            // What each request key must end as: a dead-letter reason, or the route and first reason code of a decision.
            final Map<String, String> expected = new LinkedHashMap<>();
            final Map<String, byte[]> values = new LinkedHashMap<>();
            values.put("garbage", ("{\"requestId\": \"not avro\", \"fullName\": \"" + NAME + "\"}").getBytes(StandardCharsets.UTF_8));
            expected.put("garbage", "DLQ:NOT_CONFLUENT_FRAMING");
            values.put("empty", new byte[0]);
            expected.put("empty", "DLQ:TOO_SHORT");
            values.put("null-value", null);
            expected.put("null-value", "DLQ:NULL_VALUE");
            final byte[] wrongMagic = valid.clone();
            wrongMagic[0] = 1;
            values.put("wrong-magic", wrongMagic);
            expected.put("wrong-magic", "DLQ:NOT_CONFLUENT_FRAMING");
            final byte[] unknownId = valid.clone();
            ConfluentFraming.writeHeader(unknownId, 77_777);
            values.put("unknown-schema-id", unknownId);
            expected.put("unknown-schema-id", "DLQ:UNKNOWN_SCHEMA_ID");
            values.put("truncated", java.util.Arrays.copyOf(valid, valid.length / 2));
            expected.put("truncated", "DLQ:MALFORMED_BODY");
            values.put("trailing-bytes", java.util.Arrays.copyOf(valid, valid.length + 7));
            expected.put("trailing-bytes", "DLQ:TRAILING_BYTES");
            values.put("other-subject", coverageSerializer.serialize(app.topic(TopicRole.TREATIES), shipped.all().get(0)));
            expected.put("other-subject", "DLQ:WRONG_SCHEMA");
            final org.mlarouter.serde.SchemaRegistryClient registryClient = new org.mlarouter.serde.HttpSchemaRegistryClient(
                    List.of(URI.create(KAFKA.registryUrl())), Duration.ofSeconds(5), null);
            values.put("incompatible-schema", OtherWriters.frame(registryClient, app.prefix() + ".other-value",
                    OtherWriters.editedRequestSchema(fields -> OtherWriters.removeField(fields, "requestingAuthority")),
                    Requests.mla("x", "FR", Measure.SEARCH).build()));
            expected.put("incompatible-schema", "DLQ:WRONG_SCHEMA");
            values.put("newer-schema", OtherWriters.frame(registryClient, requests + "-value",
                    OtherWriters.editedRequestSchema(fields -> fields.addObject().put("name", "channel").put("type", "string").put("default", "email")),
                    Requests.mla("newer-schema", "FR", Measure.SEARCH).build()));
            expected.put("newer-schema", "ACCEPTED:COVERED");
            values.put("invalid-state-codes", requestSerializer.serialize(requests, Requests.mla("invalid-state-codes", "France", Measure.SEARCH)
                    .setRequestingState(NAME).build()));
            expected.put("invalid-state-codes", "NEEDS_REVIEW:INCOMPLETE_REQUEST");
            values.put("no-measures", requestSerializer.serialize(requests, Requests.mla("no-measures", "FR").build()));
            expected.put("no-measures", "NEEDS_REVIEW:INCOMPLETE_REQUEST");
            values.put("transfer-without-person", requestSerializer.serialize(requests, Requests.transfer("transfer-without-person", "UZ")
                    .setSentencedPerson(null).build()));
            expected.put("transfer-without-person", "NEEDS_REVIEW:INCOMPLETE_REQUEST");
            values.put("oversized", requestSerializer.serialize(requests, Requests.mla("oversized", "FR", Measure.SEARCH)
                    .setOffence(Requests.offence(org.mlarouter.avro.OffenceCategory.FRAUD).setDescription("y".repeat(950_000)).build()).build()));
            expected.put("oversized", "DLQ:REQUEST_TOO_LARGE");
            for (final Map.Entry<String, byte[]> value : values.entrySet()) {
                raw.send(new ProducerRecord<>(requests, value.getKey().getBytes(StandardCharsets.UTF_8), value.getValue())).get();
            }
            final byte[] duplicate = requestSerializer.serialize(requests, Requests.mla("dup", "FR", Measure.SEARCH).build());
            raw.send(new ProducerRecord<>(requests, "dup".getBytes(StandardCharsets.UTF_8), duplicate)).get();
            raw.send(new ProducerRecord<>(requests, "dup".getBytes(StandardCharsets.UTF_8), duplicate)).get();
            expected.put("dup", "ACCEPTED:COVERED|DLQ:DUPLICATE_REQUEST_ID");
            raw.send(new ProducerRecord<byte[], byte[]>(requests, null, requestSerializer.serialize(requests, Requests.mla("null-key", "FR", Measure.SEARCH).build()))).get();
            expected.put("null-key", "ACCEPTED:COVERED");
            raw.send(new ProducerRecord<>(requests, new byte[] {(byte) 0xff, (byte) 0xfe},
                    requestSerializer.serialize(requests, Requests.mla("non-utf8-key", "FR", Measure.SEARCH).build()))).get();
            expected.put("non-utf8-key", "ACCEPTED:COVERED");

            // Bad coverage for France; a request after them must still be decided on revision 1.
            final TreatyCoverage france = shipped.coverage("FR").orElseThrow();
            final TreatyCoverage invalid = TreatyCoverage.newBuilder(france).setRevision(9L).build();
            invalid.getInstruments().get(0).setSource("");
            final TreatyCoverage otherState = TreatyCoverage.newBuilder(france).setCounterpartState("DE").setRevision(9L).build();
            final TreatyCoverage older = TreatyCoverage.newBuilder(france).setRevision(0L).build();
            older.getInstruments().get(0).setStatus(InstrumentStatus.TERMINATED);
            final String treaties = app.topic(TopicRole.TREATIES);
            for (final TreatyCoverage bad : List.of(invalid, otherState, older)) {
                raw.send(new ProducerRecord<>(treaties, "FR".getBytes(StandardCharsets.UTF_8), coverageSerializer.serialize(treaties, bad))).get();
            }
            raw.send(new ProducerRecord<>(treaties, "FR".getBytes(StandardCharsets.UTF_8), new byte[] {0, 0, 0, 0, 9, 9})).get();
            raw.send(new ProducerRecord<>(requests, "after-bad-coverage".getBytes(StandardCharsets.UTF_8),
                    requestSerializer.serialize(requests, Requests.mla("after-bad-coverage", "FR", Measure.SEARCH).build()))).get();
            expected.put("after-bad-coverage", "ACCEPTED:COVERED");

            final Map<String, String> actual = new HashMap<>();
            final List<ConsumerRecord<byte[], byte[]>> deadLetters = new ArrayList<>();
            final Map<String, Long> revisions = new HashMap<>();
            final int records = expected.size() + 1;
            Await.until(records + " decisions and dead letters", Duration.ofSeconds(90), () -> {
                actual.clear();
                deadLetters.clear();
                return readOutputs(app, actual, deadLetters, revisions) >= records;
            });
            assertEquals(expected, actual);
            assertEquals(1L, revisions.get("after-bad-coverage"), "the good coverage of France is still in force");
            for (final ConsumerRecord<byte[], byte[]> letter : deadLetters) {
                assertEquals(requests, DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.TOPIC));
                for (final Header header : letter.headers()) {
                    assertFalse(header.value() != null && new String(header.value(), StandardCharsets.UTF_8).contains(NAME),
                            "personal data in dead-letter header " + header.key());
                }
            }

            final String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(metrics.contains("mla_dead_letters_total{reason=\"not_confluent_framing\",source=\"" + app.topic(TopicRole.REQUESTS) + "\",stage=\"decode\"} 2.0"), "dead letters counted");
            assertTrue(metrics.contains("mla_coverage_refused_total{counterpart=\"FR\"} 3.0"), "refused coverage counted");
            assertFalse(metrics.contains(NAME), "personal data in /metrics");
            assertEquals(200, HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode(), "the router keeps running");
            assertFalse(router.log().contains(NAME) || router.log().contains("Secretname"), "personal data in the router's log");
        }
    }

    /** Reads every output topic; returns how many records there were. Outcomes of one key are joined, sorted, with "|". */
    private static int readOutputs(final RouterUnderTest app, final Map<String, String> outcome,
                                   final List<ConsumerRecord<byte[], byte[]>> deadLetters, final Map<String, Long> revisions) {
        final int[] records = {0};
        final SpecificAvroDeserializer<RoutingDecision> decisions = new SpecificAvroDeserializer<>();
        decisions.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, KAFKA.registryUrl()), false);
        final String deadLetterTopic = app.topic(TopicRole.DEAD_LETTERS);
        try (KafkaConsumer<byte[], byte[]> consumer = OutputCounts.rawConsumer(app.settings())) {
            final List<TopicPartition> partitions = TopicReader.assign(consumer, app.outputTopics(), true);
            TopicReader.readToEnd(consumer, partitions, Duration.ofSeconds(30), record -> {
                records[0]++;
                if (record.topic().equals(deadLetterTopic)) {
                    deadLetters.add(record);
                    outcome.merge(new String(record.key(), StandardCharsets.UTF_8), "DLQ:" + DeadLetterHeaders.text(record.headers(), DeadLetterHeaders.REASON),
                            BadInputIT::joinSorted);
                } else {
                    final RoutingDecision decision = decisions.deserialize(record.topic(), record.value());
                    outcome.merge(decision.getRequestId(), decision.getRoute() + ":" + decision.getReasons().get(0).getCode(), BadInputIT::joinSorted);
                    revisions.put(decision.getRequestId(), decision.getCoverageRevision());
                }
            });
        }
        return records[0];
    }

    private static String joinSorted(final String first, final String second) {
        return first.compareTo(second) <= 0 ? first + "|" + second : second + "|" + first;
    }
}
