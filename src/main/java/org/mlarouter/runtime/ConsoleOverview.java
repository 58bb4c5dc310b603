package org.mlarouter.runtime;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.mlarouter.clients.Clients;
import org.mlarouter.config.RouterSettings;
import org.mlarouter.config.TopicRole;
import org.mlarouter.json.Json;
import org.mlarouter.ops.OperatorView.Answer;
import org.mlarouter.ops.ThroughputMonitor;

/**
 * The console's overview: records per second on every mla topic over the last minutes (records counted, not offsets,
 * every {@link #INTERVAL} by a thread of its own, so a page costs no call to Kafka), the router's state, threads and lag,
 * decisions by route and counterpart (this instance's counters), the review queue (every instance's) and the coverage
 * revision per counterpart. No personal data.
 */
final class ConsoleOverview implements AutoCloseable {

    static final Duration INTERVAL = Duration.ofSeconds(2);
    private static final int KEPT = 150;
    private static final ObjectMapper JSON = Json.MAPPER;

    private final RouterSettings settings;
    private final Admin admin;
    private final ThroughputMonitor monitor;
    private final ScheduledExecutorService sampler;
    private final Deque<ThroughputMonitor.Sample> samples = new ArrayDeque<>();
    /** What the dead-letter topics hold, from the headers of the records the sampler counts. */
    private final org.mlarouter.ops.DeadLetterLog deadLetters = new org.mlarouter.ops.DeadLetterLog();
    /** The statistics, from the decisions the sampler counts. */
    private final org.mlarouter.ops.DecisionStatistics statistics;
    private final java.util.function.BooleanSupplier routerRunning;
    private volatile String kafkaProblem;
    /** Set once the router has been RUNNING; only the sampler thread reads and writes it. */
    private boolean started;

    /**
     * @param routerRunning whether the router is RUNNING: sampling starts once it first is, so that the sampler's
     *                      group-offset calls do not race the router's own group to create {@code __consumer_offsets}
     */
    ConsoleOverview(final RouterSettings settings, final java.util.function.BooleanSupplier routerRunning) {
        this.settings = settings;
        this.routerRunning = routerRunning;
        this.admin = new Clients(settings).admin();
        this.statistics = new org.mlarouter.ops.DecisionStatistics(settings.router().valueSerde(org.mlarouter.avro.RoutingDecision.class).deserializer(),
                settings.router().topic(TopicRole.REVIEWS_OVERDUE), settings.router().homeZone());
        this.monitor = new ThroughputMonitor(admin, new org.mlarouter.ops.RecordCounter(new Clients(settings).rawConsumer(),
                ThroughputMonitor.routerTopics(settings.router())).observing(java.util.Set.of(settings.router().topic(TopicRole.DEAD_LETTERS),
                        settings.router().topic(TopicRole.REVIEW_DEAD_LETTERS)), deadLetters)
                .observing(java.util.Set.of(settings.router().topic(TopicRole.ACCEPTED), settings.router().topic(TopicRole.REFUSED),
                        settings.router().topic(TopicRole.NEEDS_REVIEW), settings.router().topic(TopicRole.REVIEWS_OVERDUE)), statistics),
                ThroughputMonitor.routerTopics(settings.router()),
                settings.router().topic(TopicRole.REQUESTS), settings.applicationId());
        this.sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            final Thread thread = new Thread(runnable, "console-sampler");
            thread.setDaemon(true);
            return thread;
        });
        sampler.scheduleWithFixedDelay(this::sample, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void sample() {
        if (!started) {
            if (!routerRunning.getAsBoolean()) {
                return;
            }
            started = true;
        }
        try {
            final ThroughputMonitor.Sample sample = monitor.sample(INTERVAL);
            synchronized (samples) {
                samples.addLast(sample);
                while (samples.size() > KEPT) {
                    samples.removeFirst();
                }
            }
            kafkaProblem = null;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (final RuntimeException e) {
            kafkaProblem = "Kafka at " + settings.bootstrapServers() + " does not answer: " + e.getMessage();
        }
    }

    /** The statistics (docs/console), as JSON; or one of its tables as CSV (null for an unknown table). */
    Answer statistics() {
        final ObjectNode answer = statistics.json();
        answer.put("counting", isCounting());
        return new Answer(200, answer);
    }

    String statisticsCsv(final String table) {
        return statistics.csv(table);
    }

    private boolean isCounting() {
        synchronized (samples) {
            return samples.isEmpty() || !samples.getLast().complete;
        }
    }

    /** The dead letters by reason, step and source, and the latest ones: no content. */
    Answer deadLetters() {
        final ObjectNode answer = deadLetters.json();
        final List<ThroughputMonitor.Sample> kept;
        synchronized (samples) {
            kept = new ArrayList<>(samples);
        }
        answer.put("counting", kept.isEmpty() || !kept.get(kept.size() - 1).complete);
        return new Answer(200, answer);
    }

    Answer json(final KafkaStreams client, final KafkaStreams.State state, final Optional<String> problem, final Answer reviews,
                final MeterRegistry registry) {
        final ObjectNode overview = JSON.createObjectNode().put("state", state.name());
        overview.put("problem", problem.orElse(null)).put("kafka", kafkaProblem);
        overview.put("threads", client == null ? 0 : client.metadataForLocalThreads().size());
        final List<ThroughputMonitor.Sample> kept;
        synchronized (samples) {
            kept = new ArrayList<>(samples);
        }
        overview.put("lag", kept.isEmpty() ? null : kept.get(kept.size() - 1).lag);
        final ArrayNode topics = overview.putArray("topics");
        for (final TopicRole role : TopicRole.values()) {
            final String topic = settings.router().topic(role);
            final ObjectNode entry = topics.addObject().put("role", role.name()).put("label", role.label()).put("topic", topic);
            entry.put("records", kept.isEmpty() ? 0 : kept.get(kept.size() - 1).records.getOrDefault(topic, 0L));
            entry.put("counting", kept.isEmpty() || !kept.get(kept.size() - 1).complete);
            final ArrayNode series = entry.putArray("series");
            for (int i = 1; i < kept.size(); i++) {
                if (!kept.get(i - 1).complete) {
                    continue; // still counting what was there before: not a rate
                }
                series.addArray().add(kept.get(i).at.toEpochMilli()).add(Math.round(kept.get(i).ratesSince(kept.get(i - 1)).get(topic) * 10) / 10.0);
            }
        }
        final Map<String, Long> byRoute = new TreeMap<>();
        final Map<String, Map<String, Long>> byCounterpart = new TreeMap<>();
        for (final Counter counter : registry.find("mla.decisions").counters()) {
            final String route = counter.getId().getTag("route");
            final long count = (long) counter.count();
            byRoute.merge(route, count, Long::sum);
            byCounterpart.computeIfAbsent(counter.getId().getTag("counterpart"), ignored -> new TreeMap<>()).merge(route, count, Long::sum);
        }
        // A request reviewed has two decisions, its first and its final one: requests decided are the first ones.
        long reviewsApplied = 0;
        for (final Counter counter : registry.find("mla.reviews").counters()) {
            reviewsApplied += (long) counter.count();
        }
        overview.put("requestsDecided", byRoute.values().stream().mapToLong(Long::longValue).sum() - reviewsApplied);
        overview.put("reviewsApplied", reviewsApplied);
        overview.set("decisionsByRoute", JSON.valueToTree(byRoute));
        overview.set("decisionsByCounterpart", JSON.valueToTree(byCounterpart));
        final Map<String, Long> revisions = new TreeMap<>();
        for (final Gauge gauge : registry.find("mla.coverage.revision").gauges()) {
            revisions.put(gauge.getId().getTag("counterpart"), (long) gauge.value());
        }
        overview.set("coverageRevisions", JSON.valueToTree(revisions));
        final ObjectNode queue = overview.putObject("reviews");
        if (reviews.status() == 200) {
            // The queue's counts and its oldest entry (ReviewQueueQuery.OLDEST), not the whole queue.
            final JsonNode oldest = reviews.json().path("reviews");
            queue.put("pending", reviews.json().path("total").asLong());
            queue.put("overdue", reviews.json().path("overdue").asLong());
            queue.put("oldestPendingSince", oldest.isEmpty() ? null : oldest.get(0).path("pendingSince").asText());
        } else {
            queue.put("problem", "The review queue is not available now (HTTP " + reviews.status() + ")");
        }
        return new Answer(200, overview);
    }

    @Override
    public void close() {
        sampler.shutdownNow();
        try {
            sampler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        monitor.close();
        admin.close(Duration.ofSeconds(5));
    }
}
