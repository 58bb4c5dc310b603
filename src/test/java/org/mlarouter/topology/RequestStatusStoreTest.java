package org.mlarouter.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;
import org.mlarouter.avro.store.RequestStatusRecord;

/** The request-status store's values: an Avro record of their own, and what earlier releases wrote still read. */
class RequestStatusStoreTest {

    private static final Serde<RequestStatus> SERDE = RequestStatus.serde();

    private static RequestStatus pending() {
        return new RequestStatus("req-1", "NEEDS_REVIEW", "UZ", "TRANSFER_OF_SENTENCED_PERSONS", "URGENT",
                List.of(new RequestStatus.ReasonEntry("TRANSFER_CONDITIONS", "Consent of the sentenced person: ø, 中, é"),
                        new RequestStatus.ReasonEntry("INCOMPLETE", null)),
                null, null, 1_790_000_000_000L, 1_790_000_000_000L, null, false,
                List.of(new RequestStatus.HistoryEntry("NEEDS_REVIEW", 1_790_000_000_000L, null)));
    }

    private static RequestStatus reviewed() {
        return new RequestStatus("req-2", "REFUSED", "FR", "EXTRADITION", "ROUTINE",
                List.of(new RequestStatus.ReasonEntry("NOT_COVERED", "no extradition treaty")), "Treaty of 2023, art. 4", 7L,
                1_790_000_000_000L, 1_790_000_100_000L,
                new RequestStatus.ReviewEntry("REFUSED", "reviewer-7", "grounds " + "x".repeat(300), 1_790_000_100_000L, 1_790_000_000_000L),
                true, List.of(new RequestStatus.HistoryEntry("NEEDS_REVIEW", 1_790_000_000_000L, null),
                        new RequestStatus.HistoryEntry("REFUSED", 1_790_000_100_000L, "reviewer-7")));
    }

    @Test
    void shouldReadBackEveryFieldIncludingNullsAndNonAsciiText() {
        for (final RequestStatus status : List.of(pending(), reviewed())) {
            final byte[] bytes = SERDE.serializer().serialize("store", status);

            assertEquals(RequestStatus.AVRO_V1, bytes[0]);
            assertEquals(status, SERDE.deserializer().deserialize("store", bytes));
        }
    }

    @Test
    void shouldStillReadWhatThePreviousReleaseWrote() throws Exception {
        // The two statuses above as the previous release stored them (its StatusBytes format), saved before it went.
        final List<String> written = Files.readAllLines(Path.of("src/test/resources/legacy/request-status-bytes-v1.hex"));

        assertEquals(pending(), SERDE.deserializer().deserialize("store", HexFormat.of().parseHex(written.get(0))));
        assertEquals(reviewed(), SERDE.deserializer().deserialize("store", HexFormat.of().parseHex(written.get(1))));
    }

    @Test
    void shouldStillReadTheJsonOfEarlierReleases() throws Exception {
        final byte[] json = new ObjectMapper().writeValueAsBytes(reviewed());

        assertEquals('{', json[0]);
        assertEquals(reviewed(), SERDE.deserializer().deserialize("store", json));
    }

    @Test
    void shouldBeSmallerThanTheJson() throws Exception {
        final byte[] json = new ObjectMapper().writeValueAsBytes(pending());
        final byte[] binary = SERDE.serializer().serialize("store", pending());

        assertTrue(binary.length * 2 < json.length, binary.length + " bytes against the JSON's " + json.length);
    }

    /**
     * FULL_TRANSITIVE: the schema of this release reads what every earlier version of it wrote, and each of them reads
     * what this one writes. Each release that changes the schema adds its predecessor's copy to store-schemas/.
     */
    @Test
    void shouldEvolveFullTransitively() throws Exception {
        final Schema current = RequestStatusRecord.getClassSchema();
        assertEquals(org.apache.avro.SchemaNormalization.toParsingForm(new Schema.Parser().parse(Path.of("schemas/store/RequestStatusRecord.avsc").toFile())),
                org.apache.avro.SchemaNormalization.toParsingForm(current), "the generated class is the .avsc's");
        try (java.util.stream.Stream<Path> versions = Files.list(Path.of("src/test/resources/store-schemas"))) {
            for (final Path version : versions.toList()) {
                final Schema earlier = new Schema.Parser().parse(version.toFile());
                assertEquals(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE,
                        SchemaCompatibility.checkReaderWriterCompatibility(current, earlier).getType(), "reads " + version);
                assertEquals(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE,
                        SchemaCompatibility.checkReaderWriterCompatibility(earlier, current).getType(), "is read by " + version);
            }
        }
    }
}
