package org.mlarouter.ops;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.mlarouter.avro.Route;
import org.mlarouter.avro.RoutingDecision;
import org.mlarouter.policy.StateCodes;
import org.mlarouter.topology.DeadLetterReason;

/**
 * The review loop's metrics (docs/contract.md, version 2):
 * <ul>
 *   <li>{@code mla_reviews_pending{counterpart}}: requests pending review on this instance, 0 for every counterpart with
 *       coverage or seen pending since the start (a dashboard shows 0, not "no data", for an empty queue)</li>
 *   <li>{@code mla_review_oldest_pending_seconds}: the age of the oldest of them (0 when none)</li>
 *   <li>{@code mla_reviews_total{decision}}: review outcomes applied; {@code mla_reviews_overdue_total}</li>
 *   <li>{@code mla_review_dead_letters_total{reason}}: outcomes sent to the review dead-letter topic</li>
 *   <li>{@code mla_reviews_coverage_changed_total{counterpart}}: pending requests decided again on new coverage whose
 *       decision differs from the one shown (version 3, "Coverage over time")</li>
 * </ul>
 * The two gauges are read from this instance's stores at each scrape; Prometheus sums them over instances.
 */
final class ReviewMetrics {

    private final MeterRegistry registry;
    private final MultiGauge pending;
    private final AtomicLong oldestSeconds = new AtomicLong();
    private final Counter overdue;
    private volatile Supplier<RouterMetrics.ReviewQueue> queue;
    /** The counterparts the pending gauge shows, at 0 when none of theirs is pending: those with coverage or seen pending. */
    private final java.util.Set<String> counterparts = java.util.concurrent.ConcurrentHashMap.newKeySet();

    ReviewMetrics(final MeterRegistry registry) {
        this.registry = registry;
        this.pending = MultiGauge.builder("mla.reviews.pending").description("Requests pending review on this instance, by counterpart")
                .register(registry);
        Gauge.builder("mla.review.oldest.pending.seconds", oldestSeconds, AtomicLong::get)
                .description("Age of the oldest review pending on this instance, in seconds (0 when none)").register(registry);
        for (final Route decision : List.of(Route.ACCEPTED, Route.REFUSED)) {
            outcomes(decision);
        }
        overdue = Counter.builder("mla.reviews.overdue").description("Reviews that passed their deadline (each written once to the overdue topic)")
                .register(registry);
        for (final DeadLetterReason reason : DeadLetterReason.values()) {
            deadLetters(reason);
        }
    }

    /** A counterpart the pending gauge shows from now on, at 0 while none of its requests is pending. */
    void showCounterpart(final String label) {
        counterparts.add(label);
        coverageChanged(label);
    }

    /** Where the gauges read the queue from, once the router runs. */
    void readFrom(final Supplier<RouterMetrics.ReviewQueue> source) {
        this.queue = source;
    }

    /** Reads the queue into the gauges; keeps the last values when the stores cannot be read (a rebalance). */
    void refresh(final Instant now) {
        final Supplier<RouterMetrics.ReviewQueue> source = queue;
        if (source == null) {
            return;
        }
        final RouterMetrics.ReviewQueue current;
        try {
            current = source.get();
        } catch (final RuntimeException storesNotReady) {
            return;
        }
        final Map<String, Long> byLabel = new java.util.TreeMap<>();
        counterparts.forEach(label -> byLabel.put(label, 0L));
        current.pendingByCounterpart().forEach((counterpart, count) ->
                byLabel.merge(StateCodes.isAlpha2(counterpart) ? counterpart : "invalid", count, Long::sum));
        counterparts.addAll(byLabel.keySet());
        final List<MultiGauge.Row<?>> rows = new ArrayList<>();
        byLabel.forEach((label, count) -> rows.add(MultiGauge.Row.of(Tags.of("counterpart", label), count)));
        pending.register(rows, true);
        oldestSeconds.set(current.oldestPendingSince().map(since -> Math.max(0, Duration.between(since, now).toSeconds())).orElse(0L));
    }

    void onCoverageChanged(final String counterpart) {
        coverageChanged(StateCodes.isAlpha2(counterpart) ? counterpart : "invalid").increment();
    }

    private Counter coverageChanged(final String label) {
        return Counter.builder("mla.reviews.coverage.changed")
                .description("Pending requests decided again on new coverage, with a decision that differs from the one shown")
                .tag("counterpart", label).register(registry);
    }

    void onDecision(final RoutingDecision decision) {
        if (decision.getReview() != null) {
            outcomes(decision.getReview().getDecision()).increment();
        }
    }

    void onOverdue() {
        overdue.increment();
    }

    void onDeadLetter(final DeadLetterReason reason) {
        deadLetters(reason).increment();
    }

    private Counter outcomes(final Route decision) {
        return Counter.builder("mla.reviews").description("Review outcomes applied, by decision")
                .tag("decision", decision.name().toLowerCase(Locale.ROOT)).register(registry);
    }

    private Counter deadLetters(final DeadLetterReason reason) {
        return Counter.builder("mla.review.dead.letters").description("Review outcomes sent to the review dead-letter topic, by reason")
                .tag("reason", reason.name().toLowerCase(Locale.ROOT)).register(registry);
    }
}
