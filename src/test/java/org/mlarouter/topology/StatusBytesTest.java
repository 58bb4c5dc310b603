package org.mlarouter.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class StatusBytesTest {

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

            assertEquals(StatusBytes.VERSION, bytes[0]);
            assertEquals(status, SERDE.deserializer().deserialize("store", bytes));
        }
    }

    @Test
    void shouldStillReadTheJsonOfEarlierVersions() throws Exception {
        // What the store held before the binary format: Jackson's JSON of the record.
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

    @Test
    void shouldRefuseBytesLeftOverOrMissing() {
        final byte[] bytes = SERDE.serializer().serialize("store", pending());
        final byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1);
        final byte[] shorter = java.util.Arrays.copyOf(bytes, bytes.length - 3);

        assertThrows(IllegalArgumentException.class, () -> StatusBytes.read(longer));
        assertThrows(RuntimeException.class, () -> StatusBytes.read(shorter));
        assertArrayEquals(bytes, StatusBytes.write(StatusBytes.read(bytes)));
    }
}
