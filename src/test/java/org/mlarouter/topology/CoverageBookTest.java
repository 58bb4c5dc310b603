package org.mlarouter.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mlarouter.avro.AssistanceKind;
import org.mlarouter.avro.InstrumentStatus;
import org.mlarouter.avro.TreatyCoverage;
import org.mlarouter.serde.SchemaRegistryUnavailableException;
import org.mlarouter.testing.Await;
import org.mlarouter.testing.Coverages;
import org.mlarouter.treaty.CoverageValidator;

/**
 * The coverage book with a registry that can be switched off: records are decoded once per change, a record that
 * needs the absent registry waits in order without blocking its caller, the outage is reported, a request for that
 * counterpart is not decided on old coverage, and everything applies once the registry answers again.
 */
class CoverageBookTest {

    private static final String REGISTRY = "http://127.0.0.1:1";

    private final AtomicBoolean registryUp = new AtomicBoolean(true);
    private final AtomicInteger decoded = new AtomicInteger();
    private final List<String> changes = new ArrayList<>();
    /** Stands for the Confluent-framed serde: each record's bytes are its key into {@link #records}. */
    private final List<TreatyCoverage> records = new ArrayList<>();
    private final Deserializer<TreatyCoverage> deserializer = (topic, data) -> {
        if (!registryUp.get()) {
            throw new SchemaRegistryUnavailableException("Schema Registry at " + REGISTRY + " cannot be reached", null);
        }
        decoded.incrementAndGet();
        return records.get(Integer.parseInt(new String(data, StandardCharsets.UTF_8)));
    };
    private final CoverageBook book = new CoverageBook(new CoverageValidator("KZ"), deserializer, "mla.treaties", REGISTRY,
            new CoverageListener() {
                @Override
                public synchronized void onCoverageChange(final String counterpart, final TreatyCoverage coverage) {
                    changes.add(counterpart + "@" + (coverage == null ? "removed" : coverage.getRevision()));
                }
            }, DeadLetterListener.NONE);

    @AfterEach
    void closeBook() {
        book.close();
    }

    private byte[] bytesOf(final TreatyCoverage coverage) {
        records.add(coverage);
        return String.valueOf(records.size() - 1).getBytes(StandardCharsets.UTF_8);
    }

    private static TreatyCoverage france(final long revision, final InstrumentStatus status) {
        return Coverages.of("FR", revision, Coverages.bilateral("KZ-FR-MLA", status, AssistanceKind.MUTUAL_LEGAL_ASSISTANCE).build());
    }

    @Test
    void shouldDecodeEachChangeOnceAndServeDecodedCoverage() {
        book.update("FR", bytesOf(france(1, InstrumentStatus.IN_FORCE)), 0);

        for (int i = 0; i < 100; i++) {
            assertEquals(1L, book.inForce("FR").getRevision());
        }
        assertEquals(1, decoded.get(), "decoded once, whatever the number of reads");
        assertNull(book.inForce("DE"));
        assertTrue(book.problem().isEmpty());
    }

    @Test
    void shouldHoldUpdatesInOrderWhileTheRegistryIsDownAndApplyThemWhenItIsBack() {
        book.update("FR", bytesOf(france(1, InstrumentStatus.IN_FORCE)), 0);
        registryUp.set(false);

        book.update("FR", bytesOf(france(2, InstrumentStatus.SUSPENDED)), 1);
        book.update("VN", bytesOf(Coverages.of("VN", 1, Coverages.bilateral("KZ-VN-MLA", InstrumentStatus.SIGNED,
                AssistanceKind.MUTUAL_LEGAL_ASSISTANCE).build())), 2);

        assertTrue(book.problem().orElseThrow().contains(REGISTRY), book.problem().toString());
        assertTrue(book.problem().orElseThrow().contains("FR, VN"), book.problem().toString());
        assertThrows(CoverageBook.CoverageNotCurrentException.class, () -> book.inForce("FR"),
                "a request for France waits rather than being decided on the revision being replaced");
        assertNull(book.inForce("DE"), "other counterparts are decided as before");

        registryUp.set(true);
        Await.until("the waiting updates applied", Duration.ofSeconds(10), () -> book.problem().isEmpty());
        assertEquals(2L, book.inForce("FR").getRevision());
        assertEquals(1L, book.inForce("VN").getRevision());
        synchronized (book) {
            assertEquals(List.of("FR@1", "FR@2", "VN@1"), changes, "applied in the order of the topic");
        }
    }

    @Test
    void shouldLetATombstoneOvertakeWaitingUpdatesOfItsCounterpart() {
        registryUp.set(false);
        book.update("FR", bytesOf(france(1, InstrumentStatus.IN_FORCE)), 0);
        book.update("FR", null, 1);

        assertTrue(book.problem().isPresent(), "the outage is still reported until the registry answers");
        assertNull(book.inForce("FR"), "nothing waits for France any more: it was removed");
        registryUp.set(true);
        Await.until("the outage to clear", Duration.ofSeconds(10), () -> book.problem().isEmpty());
        assertNull(book.inForce("FR"));
    }
}
