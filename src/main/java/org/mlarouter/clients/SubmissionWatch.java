package org.mlarouter.clients;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.mlarouter.avro.Reason;
import org.mlarouter.avro.RoutingDecision;
import org.mlarouter.config.RouterSettings;
import org.mlarouter.config.TopicRole;
import org.mlarouter.topology.DeadLetterHeaders;

/**
 * {@code submit --wait}: what became of each request submitted, as it arrives. Opened before the requests are sent, it
 * notes where the decision topics and the dead-letter topic end; then it reads from there, committed records only, and
 * prints each submitted id's first decision (route and reason codes) or dead letter (its reason), then a summary. It
 * reads decisions' routes and reasons and dead letters' headers only, never a request's personal data.
 */
public final class SubmissionWatch implements AutoCloseable {

    /** What became of the requests: counts by outcome, and the ids left without an answer. */
    public record Outcome(Map<String, Integer> byOutcome, int deadLettered, List<String> unanswered) {
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Deserializer<RoutingDecision> decisions;
    private final String deadLetters;

    public SubmissionWatch(final RouterSettings settings) {
        this.consumer = new Clients(settings).rawConsumer();
        this.decisions = settings.router().valueSerde(RoutingDecision.class).deserializer();
        this.deadLetters = settings.router().topic(TopicRole.DEAD_LETTERS);
        final List<String> topics = new ArrayList<>();
        TopicRole.decisions().forEach(role -> topics.add(settings.router().topic(role)));
        topics.add(deadLetters);
        final List<TopicPartition> partitions = TopicReader.assign(consumer, topics, false);
        // The positions are taken now, before anything is sent: what comes after is what this submission caused.
        partitions.forEach(consumer::position);
    }

    /** Reads until every id has an answer or {@code timeout} passes, printing each answer to {@code out}. */
    public Outcome await(final List<String> ids, final Duration timeout, final PrintStream out) {
        final Set<String> waiting = new LinkedHashSet<>(ids);
        final Map<String, Integer> byOutcome = new TreeMap<>();
        int deadLettered = 0;
        final int width = ids.stream().mapToInt(String::length).max().orElse(10);
        final Instant deadline = Instant.now().plus(timeout);
        while (!waiting.isEmpty() && Instant.now().isBefore(deadline)) {
            for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                final String id = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
                if (id == null || !waiting.contains(id)) {
                    continue;
                }
                if (record.topic().equals(deadLetters)) {
                    final String reason = DeadLetterHeaders.text(record.headers(), DeadLetterHeaders.REASON);
                    out.printf("%-" + width + "s  dead letter  %s%n", id, reason);
                    deadLettered++;
                } else {
                    final RoutingDecision decision = decisions.deserialize(record.topic(), record.headers(), record.value());
                    final StringBuilder reasons = new StringBuilder();
                    for (final Reason reason : decision.getReasons()) {
                        reasons.append(reasons.length() == 0 ? "" : ",").append(reason.getCode().name());
                    }
                    out.printf("%-" + width + "s  %-12s %s%n", id, decision.getRoute(), reasons);
                    byOutcome.merge(decision.getRoute().name().toLowerCase(Locale.ROOT), 1, Integer::sum);
                }
                waiting.remove(id);
                out.flush();
            }
        }
        return new Outcome(byOutcome, deadLettered, List.copyOf(waiting));
    }

    /** The summary line of an outcome. */
    public static String summary(final Outcome outcome, final Duration timeout) {
        final Map<String, Integer> shown = new LinkedHashMap<>();
        for (final String route : List.of("accepted", "refused", "needs_review")) {
            shown.put(route.replace('_', ' '), outcome.byOutcome().getOrDefault(route, 0));
        }
        final StringBuilder text = new StringBuilder();
        shown.forEach((route, count) -> text.append(text.length() == 0 ? "" : ", ").append(count).append(' ').append(route));
        text.append("; ").append(outcome.deadLettered()).append(" dead-lettered");
        if (!outcome.unanswered().isEmpty()) {
            text.append("; ").append(outcome.unanswered().size()).append(" without an answer within ").append(timeout.toSeconds()).append(" s");
        }
        return text.toString();
    }

    @Override
    public void close() {
        consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
    }
}
