package org.mlarouter.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlarouter.avro.AssistanceKind;
import org.mlarouter.avro.InstrumentStatus;
import org.mlarouter.avro.TreatyCoverage;
import org.mlarouter.serde.SchemaRegistryUnavailableException;
import org.mlarouter.testing.Coverages;
import org.mlarouter.treaty.CoverageValidator;

/**
 * The coverage store with a registry that can be switched off: records are decoded once per change, a record that
 * needs the absent registry waits in order without blocking its caller, the outage is reported, the counterpart's
 * coverage is not current meanwhile, and everything applies once the registry answers again and the waiting records
 * are retried. The store is initialized as Kafka Streams does, and tells the listener of its context it opened.
 */
class CoverageStoreTest {

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
    private final List<CoverageStore> opened = new ArrayList<>();
    private final CoverageStore book = CoverageStore.builder(RouterTopology.COVERAGE_STORE, new CoverageValidator("KZ"), deserializer,
            "mla.treaties", REGISTRY).build();

    @BeforeEach
    void initLikeKafkaStreams() {
        final Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "coverage-store-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(RouterContext.CONFIG, new RouterContext(Clock.systemUTC(), 1, DecisionListener.NONE, new CoverageListener() {
            @Override
            public void onOpened(final CoverageStore store) {
                opened.add(store);
            }

            @Override
            public void onCoverageChange(final String counterpart, final TreatyCoverage coverage) {
                changes.add(counterpart + "@" + (coverage == null ? "removed" : coverage.getRevision()));
            }
        }, DeadLetterListener.NONE));
        book.init(new MockProcessorContext<>(config).getStateStoreContext(), book);
    }

    @AfterEach
    void closeBook() {
        book.close();
        assertFalse(book.isOpen());
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
        assertTrue(book.current("FR") && book.current("DE"));
        assertEquals(List.of(book), opened, "the listener is told of the store when Kafka Streams initializes it");
        assertSame(book, opened.get(0));
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
        assertFalse(book.current("FR"), "a request for France waits rather than being decided on the revision being replaced");
        assertEquals(1L, book.inForce("FR").getRevision(), "the revision in force stays until the update applies");
        assertTrue(book.current("DE"), "other counterparts are decided as before");
        assertTrue(book.retryWaiting(), "still waiting while the registry is down");
        assertTrue(book.waiting());

        registryUp.set(true);
        assertFalse(book.retryWaiting(), "nothing waits once the registry answers");
        assertTrue(book.problem().isEmpty());
        assertTrue(book.current("FR") && book.current("VN"));
        assertEquals(2L, book.inForce("FR").getRevision());
        assertEquals(1L, book.inForce("VN").getRevision());
        assertEquals(List.of("FR@1", "FR@2", "VN@1"), changes, "applied in the order of the topic");
    }

    @Test
    void shouldNotLetALaterRecordOvertakeAWaitingOne() {
        registryUp.set(false);
        book.update("FR", bytesOf(france(2, InstrumentStatus.IN_FORCE)), 0);
        registryUp.set(true);
        // The next treaty record retries the waiting one first: revision 2, then the older revision 1 is refused.
        book.update("FR", bytesOf(france(1, InstrumentStatus.SUSPENDED)), 1);

        assertEquals(2L, book.inForce("FR").getRevision());
        assertEquals(List.of("FR@2"), changes);
        assertTrue(book.problem().isEmpty());
    }

    @Test
    void shouldLetATombstoneOvertakeWaitingUpdatesOfItsCounterpart() {
        registryUp.set(false);
        book.update("FR", bytesOf(france(1, InstrumentStatus.IN_FORCE)), 0);
        book.update("FR", null, 1);

        assertTrue(book.problem().isEmpty(), "nothing waits for the registry any more");
        assertTrue(book.current("FR"));
        assertNull(book.inForce("FR"), "France was removed");
        assertEquals(List.of("FR@removed"), changes);
    }
}
