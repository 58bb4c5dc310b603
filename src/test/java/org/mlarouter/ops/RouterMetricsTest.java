package org.mlarouter.ops;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.mlarouter.avro.Measure;
import org.mlarouter.policy.RoutingPolicy;
import org.mlarouter.testing.Requests;
import org.mlarouter.topology.DeadLetterReason;
import org.mlarouter.treaty.TreatyTable;

class RouterMetricsTest {

    private final RoutingPolicy policy = new RoutingPolicy("KZ", Clock.fixed(Instant.parse("2026-11-23T09:00:02.5Z"), ZoneOffset.UTC));
    private final TreatyTable seeds = TreatyTable.shipped("KZ");

    @Test
    void shouldCountDecisionsByRouteCounterpartAndKindAndTheirLag() {
        try (RouterMetrics metrics = new RouterMetrics()) {
            metrics.onDecision(policy.decide(Requests.mla("r-1", "FR", Measure.SEARCH).build(), seeds.coverage("FR").orElseThrow()));
            metrics.onDecision(policy.decide(Requests.mla("r-2", "FR", Measure.SEARCH).build(), seeds.coverage("FR").orElseThrow()));
            metrics.onDecision(policy.decide(Requests.extradition("r-3", "FR").build(), seeds.coverage("FR").orElseThrow()));

            final String scrape = metrics.scrape();

            assertTrue(scrape.contains("mla_decisions_total{counterpart=\"FR\",kind=\"mutual_legal_assistance\",route=\"accepted\"} 2.0"), scrape);
            assertTrue(scrape.contains("mla_decisions_total{counterpart=\"FR\",kind=\"extradition\",route=\"refused\"} 1.0"), scrape);
            assertTrue(scrape.contains("mla_decision_lag_seconds_bucket{le=\"2.0\"} 0"), scrape);
            assertTrue(scrape.contains("mla_decision_lag_seconds_bucket{le=\"5.0\"} 3"), scrape);
            assertTrue(scrape.contains("mla_decision_lag_seconds_count 3"), scrape);
        }
    }

    @Test
    void shouldShowWhetherTheSchemaRegistryAnswers() {
        try (RouterMetrics metrics = new RouterMetrics()) {
            final String registry = "http://metrics-test.registry";
            org.mlarouter.serde.RegistryHealth.failed(registry, "The Schema Registry at " + registry + " refused (HTTP 401)");
            final String down = metrics.scrape();
            org.mlarouter.serde.RegistryHealth.answered(registry);
            final String up = metrics.scrape();

            assertTrue(down.contains("mla_schema_registry_up 0.0"), down);
            assertTrue(up.contains("mla_schema_registry_up 1.0"), up);
            assertTrue(down.lines().anyMatch(line -> line.startsWith("mla_schema_registry_failures_total ")), down);
        }
    }

    @Test
    void shouldShowTheOpenFileDescriptors() {
        try (RouterMetrics metrics = new RouterMetrics()) {
            final String scrape = metrics.scrape();

            final double open = scrape.lines().filter(line -> line.startsWith("process_files_open_files "))
                    .mapToDouble(line -> Double.parseDouble(line.substring(line.indexOf(' ') + 1))).findFirst().orElse(-1);
            assertTrue(open > 0, scrape);
            assertTrue(scrape.contains("process_files_max_files "), scrape);
        }
    }

    @Test
    void shouldShowAnEmptyReviewQueueAsZeroNotAsNoData() {
        try (RouterMetrics metrics = new RouterMetrics()) {
            metrics.onCoverageChange("FR", seeds.coverage("FR").orElseThrow());
            final java.util.concurrent.atomic.AtomicReference<java.util.Map<String, Long>> pending =
                    new java.util.concurrent.atomic.AtomicReference<>(java.util.Map.of("UZ", 2L));
            metrics.reviewQueue(() -> new RouterMetrics.ReviewQueue(pending.get(), java.util.Optional.empty()));

            final String two = metrics.scrape();
            pending.set(java.util.Map.of());
            final String none = metrics.scrape();

            assertTrue(two.contains("mla_reviews_pending{counterpart=\"UZ\"} 2.0"), two);
            assertTrue(two.contains("mla_reviews_pending{counterpart=\"FR\"} 0.0"), "a counterpart with coverage, nothing pending:\n" + two);
            assertTrue(none.contains("mla_reviews_pending{counterpart=\"UZ\"} 0.0"), "emptied, still there at 0:\n" + none);
            assertTrue(none.contains("mla_reviews_pending{counterpart=\"FR\"} 0.0"), none);
            assertTrue(none.contains("mla_review_oldest_pending_seconds 0.0"), none);
        }
    }

    @Test
    void shouldCountPendingRequestsMarkedByACoverageChangeFromZero() {
        try (RouterMetrics metrics = new RouterMetrics()) {
            metrics.onCoverageChange("VN", seeds.coverage("VN").orElseThrow());
            final String before = metrics.scrape();
            metrics.onCoverageChanged("VN");
            metrics.onCoverageChanged("VN");
            final String after = metrics.scrape();

            assertTrue(before.contains("mla_reviews_coverage_changed_total{counterpart=\"VN\"} 0.0"), before);
            assertTrue(after.contains("mla_reviews_coverage_changed_total{counterpart=\"VN\"} 2.0"), after);
        }
    }

    @Test
    void shouldExportEveryDeadLetterReasonFromTheStart() {
        try (RouterMetrics metrics = new RouterMetrics().deadLettersFrom("mla.requests")) {
            metrics.onDeadLetter("mla.requests", DeadLetterReason.NULL_VALUE);
            metrics.onDeadLetter("mla-router-repartition", DeadLetterReason.UNDECODABLE);

            final String scrape = metrics.scrape();

            assertTrue(scrape.contains("mla_dead_letters_total{reason=\"null_value\",source=\"mla.requests\",stage=\"validate\"} 1.0"), scrape);
            assertTrue(scrape.contains("mla_dead_letters_total{reason=\"undecodable\",source=\"mla-router-repartition\",stage=\"decode\"} 1.0"),
                    "by the topic the record came from: " + scrape);
            for (final DeadLetterReason reason : DeadLetterReason.values()) {
                assertTrue(scrape.contains("mla_dead_letters_total{reason=\"" + reason.name().toLowerCase(java.util.Locale.ROOT) + "\""), reason.name());
            }
        }
    }

    @Test
    void shouldLabelAMalformedCounterpartAsInvalidAndCarryNoPersonalData() {
        try (RouterMetrics metrics = new RouterMetrics()) {
            metrics.onDecision(policy.decide(Requests.mla("r-4", "Zhanibek", Measure.SEARCH).setRequestingState("Secretname").build(), null));

            final String scrape = metrics.scrape();

            assertTrue(scrape.contains("counterpart=\"invalid\""), scrape);
            assertFalse(scrape.contains("Secretname") || scrape.contains("Zhanibek"), "no request content in metrics");
        }
    }
}
