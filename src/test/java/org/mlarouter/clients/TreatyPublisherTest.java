package org.mlarouter.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mlarouter.treaty.TreatyTable;
import org.mlarouter.avro.InstrumentStatus;
import org.mlarouter.avro.TreatyCoverage;
import org.mlarouter.serde.MockSchemaRegistry;
import org.mlarouter.serde.SpecificAvroDeserializer;
import org.mlarouter.serde.SpecificAvroSerializer;

class TreatyPublisherTest {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    private final String scope = "publisher-test-" + UUID.randomUUID();
    private final Map<String, Object> serdeConfigs = Map.of("schema.registry.url", "mock://" + scope);
    private final MockProducer<String, TreatyCoverage> producer = new MockProducer<>(true, null, new StringSerializer(), serializer());
    private final TreatyPublisher publisher = new TreatyPublisher("mla.treaties", Clock.fixed(NOW, ZoneOffset.UTC));
    private final TreatyTable shipped = TreatyTable.shipped("KZ");

    @AfterEach
    void dropScope() {
        MockSchemaRegistry.dropScope(scope);
    }

    private SpecificAvroSerializer<TreatyCoverage> serializer() {
        final SpecificAvroSerializer<TreatyCoverage> serializer = new SpecificAvroSerializer<>();
        serializer.configure(serdeConfigs, false);
        return serializer;
    }

    @Test
    void shouldPublishEveryCounterpartToAnEmptyTopic() {
        final TreatyPublisher.Summary summary = publisher.publish(producer, shipped, Map.of());

        assertEquals(12, summary.published.size());
        assertEquals(12, producer.history().size());
        assertEquals("US", producer.history().get(0).key());
    }

    @Test
    void shouldPublishOnlyWhatChangedWithAHigherRevisionThatStillSerializes() {
        final Map<String, TreatyCoverage> onTopic = new HashMap<>();
        shipped.all().forEach(coverage -> onTopic.put(coverage.getCounterpartState(), roundTrip(coverage)));
        final TreatyCoverage vietnam = TreatyCoverage.newBuilder(shipped.coverage("VN").orElseThrow()).build();
        vietnam.getInstruments().get(0).setStatus(InstrumentStatus.IN_FORCE);
        final String changed = org.mlarouter.json.AvroJson.toJson(vietnam).toString();
        final StringBuilder table = new StringBuilder("[");
        for (final TreatyCoverage coverage : shipped.all()) {
            table.append(table.length() > 1 ? "," : "").append("VN".equals(coverage.getCounterpartState()) ? changed
                    : org.mlarouter.json.AvroJson.toJson(coverage).toString());
        }

        final TreatyPublisher.Summary summary = publisher.publish(producer, TreatyTable.parse("t.json", table + "]", "KZ"), onTopic);

        assertEquals(List.of("VN"), summary.published);
        assertEquals(11, summary.unchanged.size());
        final ProducerRecord<String, TreatyCoverage> sent = producer.history().get(0);
        assertEquals(2L, sent.value().getRevision());
        assertEquals(NOW, sent.value().getUpdatedAt());
        assertEquals(InstrumentStatus.IN_FORCE, roundTrip(sent.value()).getInstruments().get(0).getStatus());
    }

    @Test
    void shouldRemoveWithATombstone() {
        publisher.remove(producer, "CU");

        assertEquals(null, producer.history().get(0).value());
        assertEquals("CU", producer.history().get(0).key());
    }

    /** As the record comes back from the topic: written and read through the serde. */
    private TreatyCoverage roundTrip(final TreatyCoverage coverage) {
        final SpecificAvroDeserializer<TreatyCoverage> deserializer = new SpecificAvroDeserializer<>();
        deserializer.configure(serdeConfigs, false);
        return deserializer.deserialize("mla.treaties", serializer().serialize("mla.treaties", coverage));
    }
}
