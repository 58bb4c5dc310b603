package org.mlarouter.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

class StateStoreTagsTest {

    @Test
    void shouldRegisterTheSameMetricOfARocksDbAndAnInMemoryStore() {
        final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(StateStoreTags.FILTER);

        // As Micrometer's Kafka binder names them: the store-type-specific key of Kafka Streams, dashes made dots.
        // Gauges of suppliers: a gauge of a number holds it weakly, and a boxed constant may be collected before the scrape (NaN).
        Gauge.builder("kafka.stream.state.put.rate", () -> 1.0).tags(Tags.of("rocksdb.state.id", "decided-request-ids", "task.id", "1_0"))
                .register(registry);
        Gauge.builder("kafka.stream.state.put.rate", () -> 2.0).tags(Tags.of("in.memory.state.id", "treaty-records", "task.id", "-1_-1"))
                .register(registry);

        final String scraped = registry.scrape();
        assertTrue(scraped.contains("kafka_stream_state_put_rate{state_id=\"decided-request-ids\",store_type=\"rocksdb\",task_id=\"1_0\"} 1.0"), scraped);
        assertTrue(scraped.contains("kafka_stream_state_put_rate{state_id=\"treaty-records\",store_type=\"in-memory\",task_id=\"-1_-1\"} 2.0"), scraped);
        assertEquals(2, registry.find("kafka.stream.state.put.rate").meters().size());
    }
}
