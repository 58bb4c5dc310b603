package org.mlarouter.serde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;

import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mlarouter.avro.AssistanceRequest;
import org.mlarouter.avro.RoutingDecision;
import org.mlarouter.json.AvroJson;
import org.mlarouter.policy.RoutingPolicy;
import org.mlarouter.testing.OtherWriters;
import org.mlarouter.testing.SampleRequests;
import org.mlarouter.treaty.TreatyTable;

/**
 * A decision embeds its request as the agency wrote it: when the request was written with the schema the decision
 * embeds, its bytes are copied, not encoded again (RawBodies), on the decision topics and in the pending-reviews store;
 * otherwise it is encoded as before.
 */
class EmbeddedRequestBytesTest {

    private static final org.apache.kafka.common.serialization.Serde<RoutingDecision> PENDING_STORE = PlainAvroSerde.of(RoutingDecision.class);

    private final String scope = "embedded-bytes-" + UUID.randomUUID();
    private final InMemorySchemaRegistry registry = MockSchemaRegistry.forScope(scope);
    private final RoutingPolicy policy = new RoutingPolicy("KZ", Clock.fixed(Instant.parse("2026-11-24T10:00:00Z"), ZoneOffset.UTC));
    private final TreatyTable table = TreatyTable.shipped("KZ");
    private final SpecificAvroSerde<AssistanceRequest> requests = new SpecificAvroSerde<>();
    private final SpecificAvroSerde<RoutingDecision> decisions = new SpecificAvroSerde<>();

    EmbeddedRequestBytesTest() {
        requests.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://" + scope), false);
        decisions.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://" + scope), false);
    }

    @AfterEach
    void forget() {
        RawBodies.forget();
        MockSchemaRegistry.dropScope(scope);
    }

    private RoutingDecision decide(final AssistanceRequest request) {
        return policy.decide(request, policy.counterpartOf(request).flatMap(table::coverage).orElse(null));
    }

    /** The decision's bytes when its request is encoded again (no decoded record remembered on this thread). */
    private byte[] reencoded(final RoutingDecision decision) {
        RawBodies.forget();
        return decisions.serializer().serialize("mla.decisions", decision);
    }

    @Test
    void shouldWriteTheSameBytesAsAFullEncodeForEverySampleRequest() throws Exception {
        for (final String line : Files.readAllLines(SampleRequests.FILE)) {
            final byte[] framed = requests.serializer().serialize("mla.requests", AvroJson.parse(line, AssistanceRequest.class));
            final RoutingDecision decision = decide(requests.deserializer().deserialize("mla.requests", framed));

            final byte[] copied = decisions.serializer().serialize("mla.decisions", decision);
            final byte[] stored = PENDING_STORE.serializer().serialize("pending-reviews", decision);

            assertArrayEquals(reencoded(decision), copied, line);
            // The pending-reviews store writes the same body without the framing, and reads it back equal.
            assertArrayEquals(Arrays.copyOfRange(copied, ConfluentFraming.HEADER_LENGTH, copied.length), stored, line);
            assertEquals(decision, PENDING_STORE.deserializer().deserialize("pending-reviews", stored), line);
        }
    }

    @Test
    void shouldCopyTheRequestsBytesRatherThanEncodeItAgain() {
        final AssistanceRequest sample = decodeFirstSample();
        final byte[] framed = requests.serializer().serialize("mla.requests", sample);
        final RoutingDecision decision = decide(requests.deserializer().deserialize("mla.requests", framed));
        // Proof that the bytes are copied: change, after decoding, one letter of the request's authority in the bytes it
        // came from. The decision then carries the changed letter; an encode of the decoded request would not.
        final byte[] authority = sample.getRequestingAuthority().getBytes(StandardCharsets.UTF_8);
        final int at = indexOf(framed, authority);
        framed[at] = (byte) (framed[at] == 'X' ? 'Y' : 'X');

        final RoutingDecision copied = decisions.deserializer().deserialize("mla.decisions", decisions.serializer().serialize("mla.decisions", decision));

        assertEquals(new String(Arrays.copyOfRange(framed, at, at + authority.length), StandardCharsets.UTF_8), copied.getRequest().getRequestingAuthority());
    }

    @Test
    void shouldEncodeARequestWrittenWithAnotherCompatibleSchemaAgain() {
        final AssistanceRequest sample = decodeFirstSample();
        for (final Schema writer : new Schema[] {
            OtherWriters.editedRequestSchema(fields -> fields.addObject().put("name", "channel").put("type", "string").put("default", "email")),
            OtherWriters.editedRequestSchema(fields -> OtherWriters.removeField(fields, "sentencedPerson"))}) {
            final AssistanceRequest read = requests.deserializer().deserialize("mla.requests", OtherWriters.frame(registry, "mla.requests-value", writer, sample));
            final RoutingDecision decision = decide(read);

            final byte[] written = decisions.serializer().serialize("mla.decisions", decision);

            assertArrayEquals(reencoded(decision), written, "a request of another schema is encoded under the decision's: " + writer);
            assertEquals(decision, decisions.deserializer().deserialize("mla.decisions", written));
        }
    }

    private static AssistanceRequest decodeFirstSample() {
        try {
            return AvroJson.parse(Files.readAllLines(SampleRequests.FILE).get(0), AssistanceRequest.class);
        } catch (final java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static int indexOf(final byte[] haystack, final byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
