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
                List.of(new RequestStatus.HistoryEntry("NEEDS_REVIEW", 1_790_000_000_000L, null)), null);
    }

    private static RequestStatus confirmed() {
        final RequestStatus reviewed = reviewed();
        return new RequestStatus(reviewed.requestId(), reviewed.status(), reviewed.counterpartState(), reviewed.kind(), reviewed.urgency(),
                reviewed.reasons(), reviewed.legalBasis(), reviewed.coverageRevision(), reviewed.firstDecidedAt(), reviewed.decidedAt(),
                new RequestStatus.ReviewEntry("REFUSED", "reviewer-7", "Dual criminality not met", 1_790_000_100_000L, 1_790_000_000_000L,
                        "supervisor-2", 1_790_000_200_000L), reviewed.overdue(), reviewed.history(), null);
    }

    private static RequestStatus coverageChanged() {
        return pending().withCoverageChanged(new RequestStatus.CoverageChange("ACCEPTED",
                List.of(new RequestStatus.ReasonEntry("COVERED", "Covered by KZ-UZ-TSP (Treaty é)")), "KZ-UZ-TSP", 4L, 1_790_000_070_000L));
    }

    private static RequestStatus proposed() {
        return pending().withProposal(new RequestStatus.ProposalEntry("REFUSED", "reviewer-7", "Dual criminality not met", "UZ-TSP-2019",
                1_790_000_050_000L));
    }

    private static RequestStatus reviewed() {
        return new RequestStatus("req-2", "REFUSED", "FR", "EXTRADITION", "ROUTINE",
                List.of(new RequestStatus.ReasonEntry("NOT_COVERED", "no extradition treaty")), "Treaty of 2023, art. 4", 7L,
                1_790_000_000_000L, 1_790_000_100_000L,
                new RequestStatus.ReviewEntry("REFUSED", "reviewer-7", "grounds " + "x".repeat(300), 1_790_000_100_000L, 1_790_000_000_000L),
                true, List.of(new RequestStatus.HistoryEntry("NEEDS_REVIEW", 1_790_000_000_000L, null),
                        new RequestStatus.HistoryEntry("REFUSED", 1_790_000_100_000L, "reviewer-7")), null);
    }

    @Test
    void shouldReadBackEveryFieldIncludingNullsAndNonAsciiText() {
        final RequestStatus withKey = pending().withDataKey("kek-1:c2VhbGVk".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        for (final RequestStatus status : List.of(pending(), proposed(), reviewed(), confirmed(), withKey, withKey.erased(), coverageChanged())) {
            final byte[] bytes = SERDE.serializer().serialize("store", status);

            assertEquals(StatusFormat.AVRO_V4, bytes[0]);
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
    void shouldReadWhatTheSchemasEarlierVersionsWroteWithTheNewFieldsEmpty() throws Exception {
        for (final int version : List.of(1, 2, 3)) {
            final Schema earlier = new Schema.Parser().parse(Path.of("src/main/resources/store-schemas/RequestStatusRecord-v" + version + ".avsc").toFile());
            final List<RequestStatus> written = switch (version) {
                case 1 -> List.of(pending(), reviewed());
                case 2 -> List.of(pending(), proposed(), confirmed());
                default -> List.of(pending(), proposed(), confirmed(), pending().withDataKey(new byte[] {1, 2, 3}).erased());
            };
            for (final RequestStatus status : written) {
                // The status as that version of the schema wrote it: its fields only, through Avro's generic writer.
                final org.apache.avro.generic.GenericRecord asEarlier = (org.apache.avro.generic.GenericRecord)
                        org.apache.avro.generic.GenericData.get().deepCopy(earlier, toGeneric(status, earlier));
                final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                out.write(version == 1 ? StatusFormat.AVRO_V1 : version == 2 ? StatusFormat.AVRO_V2 : StatusFormat.AVRO_V3);
                final org.apache.avro.io.BinaryEncoder encoder = org.apache.avro.io.EncoderFactory.get().binaryEncoder(out, null);
                new org.apache.avro.generic.GenericDatumWriter<org.apache.avro.generic.GenericRecord>(earlier).write(asEarlier, encoder);
                encoder.flush();

                assertEquals(status, SERDE.deserializer().deserialize("store", out.toByteArray()), "written by version " + version);
            }
        }
    }

    /** The generic record of a status under {@code schema}, through its JSON: each field the schema names. */
    private static Object toGeneric(final RequestStatus status, final Schema schema) throws Exception {
        final byte[] bytes = SERDE.serializer().serialize("store", status);
        final org.apache.avro.generic.GenericRecord current = new org.apache.avro.generic.GenericDatumReader<org.apache.avro.generic.GenericRecord>(
                RequestStatusRecord.getClassSchema()).read(null, org.apache.avro.io.DecoderFactory.get().binaryDecoder(bytes, 1, bytes.length - 1, null));
        return project(current, schema);
    }

    private static Object project(final Object value, final Schema schema) {
        switch (schema.getType()) {
            case RECORD: {
                final org.apache.avro.generic.GenericRecord from = (org.apache.avro.generic.GenericRecord) value;
                final org.apache.avro.generic.GenericData.Record to = new org.apache.avro.generic.GenericData.Record(schema);
                for (final Schema.Field field : schema.getFields()) {
                    to.put(field.name(), project(from.get(field.name()), field.schema()));
                }
                return to;
            }
            case UNION:
                if (value == null) {
                    return null;
                }
                for (final Schema branch : schema.getTypes()) {
                    if (branch.getType() != Schema.Type.NULL) {
                        return project(value, branch);
                    }
                }
                return value;
            case ARRAY: {
                final List<Object> items = new java.util.ArrayList<>();
                for (final Object item : (java.util.Collection<?>) value) {
                    items.add(project(item, schema.getElementType()));
                }
                return items;
            }
            default:
                return value;
        }
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
     * what this one writes. Each release that changes the schema adds its predecessor's copy to
     * src/main/resources/store-schemas/, where the serde finds it to read what that version wrote.
     */
    @Test
    void shouldEvolveFullTransitively() throws Exception {
        final Schema current = RequestStatusRecord.getClassSchema();
        assertEquals(org.apache.avro.SchemaNormalization.toParsingForm(new Schema.Parser().parse(Path.of("schemas/store/RequestStatusRecord.avsc").toFile())),
                org.apache.avro.SchemaNormalization.toParsingForm(current), "the generated class is the .avsc's");
        try (java.util.stream.Stream<Path> versions = Files.list(Path.of("src/main/resources/store-schemas"))) {
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
