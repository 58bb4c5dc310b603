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
 * embeds, its bytes, carried with it from decoding ({@link AvroBody}), are copied, not encoded again, on the decision
 * topics and in the pending-reviews store; otherwise it is encoded as before.
 */
class EmbeddedRequestBytesTest {

    private static final PlainAvroSerde.Codec<RoutingDecision> PENDING_STORE = PlainAvroSerde.codec(RoutingDecision.class);
    private static final int REQUEST = RoutingDecision.SCHEMA$.getField("request").pos();

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
        MockSchemaRegistry.dropScope(scope);
    }

    private Decoded<AssistanceRequest> decode(final byte[] framed) {
        return ((SpecificAvroDeserializer<AssistanceRequest>) requests.deserializer()).decode("mla.requests", framed);
    }

    /** The decision's bytes on a decision topic, its request copied from {@code body} when it can be. */
    private byte[] written(final RoutingDecision decision, final AvroBody body) {
        return ((SpecificAvroSerializer<RoutingDecision>) decisions.serializer()).serialize("mla.decisions", decision, REQUEST, body);
    }

    private RoutingDecision decide(final AssistanceRequest request) {
        return policy.decide(request, policy.counterpartOf(request).flatMap(table::coverage).orElse(null));
    }

    /** The decision's bytes when its request is encoded again (no body given). */
    private byte[] reencoded(final RoutingDecision decision) {
        return decisions.serializer().serialize("mla.decisions", decision);
    }

    @Test
    void shouldWriteTheSameBytesAsAFullEncodeForEverySampleRequest() throws Exception {
        for (final String line : Files.readAllLines(SampleRequests.FILE)) {
            final byte[] framed = requests.serializer().serialize("mla.requests", AvroJson.parse(line, AssistanceRequest.class));
            final Decoded<AssistanceRequest> request = decode(framed);
            final RoutingDecision decision = decide(request.value());

            final byte[] copied = written(decision, request.body());
            final byte[] stored = PENDING_STORE.encode(decision, REQUEST, request.body());

            assertArrayEquals(reencoded(decision), copied, line);
            // The pending-reviews store writes the same body without the framing, and reads it back equal.
            assertArrayEquals(Arrays.copyOfRange(copied, ConfluentFraming.HEADER_LENGTH, copied.length), stored, line);
            assertEquals(decision, PENDING_STORE.decode(stored), line);
        }
    }

    @Test
    void shouldCopyTheRequestsBytesRatherThanEncodeItAgain() {
        final AssistanceRequest sample = decodeFirstSample();
        final byte[] framed = requests.serializer().serialize("mla.requests", sample);
        final Decoded<AssistanceRequest> request = decode(framed);
        final RoutingDecision decision = decide(request.value());
        // Proof that the bytes are copied: change, after decoding, one letter of the request's authority in the bytes it
        // came from. The decision then carries the changed letter; an encode of the decoded request would not.
        final byte[] authority = sample.getRequestingAuthority().getBytes(StandardCharsets.UTF_8);
        final int at = indexOf(framed, authority);
        framed[at] = (byte) (framed[at] == 'X' ? 'Y' : 'X');

        final RoutingDecision copied = decisions.deserializer().deserialize("mla.decisions", written(decision, request.body()));

        assertEquals(new String(Arrays.copyOfRange(framed, at, at + authority.length), StandardCharsets.UTF_8), copied.getRequest().getRequestingAuthority());
    }

    @Test
    void shouldEncodeARequestWrittenWithAnotherCompatibleSchemaAgain() {
        final AssistanceRequest sample = decodeFirstSample();
        for (final Schema writer : new Schema[] {
            OtherWriters.editedRequestSchema(fields -> fields.addObject().put("name", "channel").put("type", "string").put("default", "email")),
            OtherWriters.editedRequestSchema(fields -> OtherWriters.removeField(fields, "sentencedPerson"))}) {
            final Decoded<AssistanceRequest> read = decode(OtherWriters.frame(registry, "mla.requests-value", writer, sample));
            final RoutingDecision decision = decide(read.value());

            final byte[] written = written(decision, read.body());

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

    @Test
    void shouldEncodeARequestThatIsNotTheOneItsBytesDecodedTo() {
        final AssistanceRequest sample = decodeFirstSample();
        final Decoded<AssistanceRequest> request = decode(requests.serializer().serialize("mla.requests", sample));
        final RoutingDecision decision = decide(request.value());
        decision.setRequest(AssistanceRequest.newBuilder(request.value()).setRequestingAuthority("Another authority").build());

        final RoutingDecision written = decisions.deserializer().deserialize("mla.decisions", written(decision, request.body()));

        assertEquals("Another authority", written.getRequest().getRequestingAuthority(), "the body is only for the request it decoded to");
    }
}
