package org.mlarouter.ops;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.streams.KafkaStreams;
import org.mlarouter.avro.AssistanceKind;
import org.mlarouter.avro.Route;
import org.mlarouter.avro.RoutingDecision;
import org.mlarouter.policy.StateCodes;
import org.mlarouter.serde.RegistryHealth;
import org.mlarouter.topology.DeadLetterListener;
import org.mlarouter.topology.DeadLetterReason;
import org.mlarouter.topology.CoverageListener;
import org.mlarouter.topology.DecisionListener;
import org.mlarouter.avro.TreatyCoverage;

/**
 * The router's metrics, in a Prometheus registry (Micrometer), with the names of docs/contract.md:
 * <ul>
 *   <li>{@code mla_decisions_total{route, counterpart, kind}}: decisions made; {@code route} is {@code accepted},
 *       {@code refused} or {@code needs_review}, {@code counterpart} an ISO code or {@code invalid}</li>
 *   <li>{@code mla_dead_letters_total{reason, stage}}: records sent to the dead-letter topic, by
 *       {@link DeadLetterReason} and the step that failed; every reason is exported from the start, at 0</li>
 *   <li>{@code mla_decision_lag_seconds}: histogram of {@code decidedAt - submittedAt}</li>
 * </ul>
 * plus every Kafka Streams client metric (Micrometer's {@link KafkaStreamsMetrics}: process rate and latency, commit
 * latency, consumer lag, …) and JVM metrics. Labels carry codes only, never request content. Every input record ends
 * as exactly one decision or one dead letter, so the decision counters by route are the throughput of the decision
 * topics, and their sum with the dead letters that of the input.
 */
public final class RouterMetrics implements DecisionListener, DeadLetterListener, CoverageListener, AutoCloseable {

    private static final Duration[] LAG_BUCKETS = {
        Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
        Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofHours(6), Duration.ofDays(1)};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Timer decisionLag;
    private final java.util.Map<String, java.util.concurrent.atomic.AtomicLong> revisionByCounterpart = new java.util.concurrent.ConcurrentHashMap<>();
    /**
     * Decision counters by route and kind (array indexes: the enums' ordinals), then counterpart: registered once, then
     * only incremented on the hot path.
     */
    private final java.util.Map<String, Counter>[][] decisionCounters = newDecisionCounters();
    private KafkaStreamsMetrics streamsMetrics;
    private final ReviewMetrics reviews;

    public RouterMetrics() {
        registry.config().meterFilter(StateStoreTags.FILTER);
        reviews = new ReviewMetrics(registry);
        decisionLag = Timer.builder("mla.decision.lag")
                .description("Time from a request's submittedAt to its decidedAt")
                .serviceLevelObjectives(LAG_BUCKETS)
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofDays(1))
                .register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("mla.schema.registry.failures", this, ignored -> RegistryHealth.failures())
                .description("Schema Registry calls that failed for no fault of a record (unreachable, refused, server error)")
                .register(registry);
        io.micrometer.core.instrument.Gauge.builder("mla.schema.registry.up", () -> RegistryHealth.problem().isEmpty() ? 1 : 0)
                .description("1 while the Schema Registry answers, 0 from a failed call until one succeeds")
                .register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        // process_files_open_files and process_files_max_files: RocksDB's files come and go with compactions (the soak).
        new io.micrometer.core.instrument.binder.system.FileDescriptorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** Exports the client metrics of a streams client (its threads, tasks, consumers and producers). */
    public void bind(final KafkaStreams streams) {
        streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
    }

    /**
     * The review queue of this instance, read at each scrape for {@code mla_reviews_pending} and
     * {@code mla_review_oldest_pending_seconds}: the pending count by counterpart and the oldest pending since.
     */
    public void reviewQueue(final Supplier<ReviewQueue> queue) {
        reviews.readFrom(queue);
    }

    /** This instance's review queue, as the gauges show it: pending requests by counterpart, and the oldest's time. */
    public record ReviewQueue(Map<String, Long> pendingByCounterpart, Optional<Instant> oldestPendingSince) {
    }

    @Override
    public void onOverdue(final RoutingDecision pending) {
        reviews.onOverdue();
    }

    @Override
    public void onCoverageChanged(final String counterpart) {
        reviews.onCoverageChanged(counterpart);
    }

    @Override
    public void onReviewDeadLetter(final DeadLetterReason reason) {
        reviews.onDeadLetter(reason);
    }

    @Override
    public void onDecision(final RoutingDecision decision) {
        reviews.onDecision(decision);
        final String counterpart = StateCodes.isAlpha2(decision.getCounterpartState()) ? decision.getCounterpartState() : "invalid";
        final Route route = decision.getRoute();
        final AssistanceKind kind = decision.getRequest().getKind();
        decisionCounters[route.ordinal()][kind.ordinal()].computeIfAbsent(counterpart, ignored -> Counter.builder("mla.decisions")
                .description("Decisions made, by route, counterpart state and kind of assistance")
                .tag("route", route.name().toLowerCase(Locale.ROOT))
                .tag("counterpart", counterpart)
                .tag("kind", kind.name().toLowerCase(Locale.ROOT))
                .register(registry))
                .increment();
        final long lagMillis = decision.getDecidedAt().toEpochMilli() - decision.getRequest().getSubmittedAt().toEpochMilli();
        decisionLag.record(Math.max(0, lagMillis), TimeUnit.MILLISECONDS);
    }

    @SuppressWarnings("unchecked")
    private static java.util.Map<String, Counter>[][] newDecisionCounters() {
        final java.util.Map<String, Counter>[][] counters = new java.util.Map[Route.values().length][AssistanceKind.values().length];
        for (final java.util.Map<String, Counter>[] byKind : counters) {
            for (int kind = 0; kind < byKind.length; kind++) {
                byKind[kind] = new java.util.concurrent.ConcurrentHashMap<>();
            }
        }
        return counters;
    }

    /** Exports {@code mla_dead_letters_total} at 0 for every reason from the router's input topic, before any dead letter. */
    public RouterMetrics deadLettersFrom(final String requestsTopic) {
        for (final DeadLetterReason reason : DeadLetterReason.values()) {
            deadLetters(requestsTopic, reason);
        }
        return this;
    }

    @Override
    public void onDeadLetter(final String sourceTopic, final DeadLetterReason reason) {
        deadLetters(sourceTopic == null ? "unknown" : sourceTopic, reason).increment();
    }

    private Counter deadLetters(final String source, final DeadLetterReason reason) {
        return Counter.builder("mla.dead.letters")
                .description("Records sent to the dead-letter topic, by reason, the step that failed and the topic the record came from")
                .tag("reason", reason.name().toLowerCase(Locale.ROOT))
                .tag("stage", reason.stage())
                .tag("source", source)
                .register(registry);
    }

    @Override
    public void onCoverageChange(final String counterpart, final TreatyCoverage coverage) {
        final String label = StateCodes.isAlpha2(counterpart) ? counterpart : "invalid";
        reviews.showCounterpart(label);
        final java.util.concurrent.atomic.AtomicLong revision = revisionByCounterpart.computeIfAbsent(label, ignored -> {
            final java.util.concurrent.atomic.AtomicLong value = new java.util.concurrent.atomic.AtomicLong();
            io.micrometer.core.instrument.Gauge.builder("mla.coverage.revision", value, java.util.concurrent.atomic.AtomicLong::get)
                    .description("Revision of the treaty coverage in force for a counterpart; -1 once removed")
                    .tag("counterpart", label)
                    .register(registry);
            return value;
        });
        revision.set(coverage == null ? -1 : coverage.getRevision());
    }

    @Override
    public void onCoverageRefused(final String counterpart) {
        Counter.builder("mla.coverage.refused")
                .description("Coverage records refused (invalid, inconsistent or older); the coverage in force was kept")
                .tag("counterpart", StateCodes.isAlpha2(counterpart) ? counterpart : "invalid")
                .register(registry)
                .increment();
    }

    /** The Prometheus text exposition of every metric. */
    public String scrape() {
        reviews.refresh(Instant.now());
        return registry.scrape();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        if (streamsMetrics != null) {
            streamsMetrics.close();
        }
        registry.close();
    }
}
