package org.mlarouter.ops;

import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.mlarouter.avro.RoutingDecision;
import org.mlarouter.json.Json;

/**
 * What a central authority reports each year, computed from the router's own decision topics (so the same on every
 * instance, and again after a restart, which reads them from the beginning): requests by month, counterpart, kind and
 * outcome; the time from receipt ({@code submittedAt}) to the first and to the final decision, median and 90th
 * percentile, by month; and the share of reviews that went overdue. A month is the calendar month, in the home state's
 * zone, of the decision counted. No personal data: a decision's counterpart, kind, route and times only.
 *
 * <p>Outcomes: {@code accepted} and {@code refused} (decided by the router), {@code needs_review} (a first decision
 * that waits for a person), {@code accepted_after_review} and {@code refused_after_review} (a reviewer's final one).
 */
public final class DecisionStatistics implements Consumer<ConsumerRecord<byte[], byte[]>> {

    private record Cell(String month, String counterpart, String kind, String outcome) implements Comparable<Cell> {
        @Override
        public int compareTo(final Cell other) {
            return key().compareTo(other.key());
        }

        private String key() {
            return month + '\0' + counterpart + '\0' + kind + '\0' + outcome;
        }
    }

    /** Durations in milliseconds, kept whole for exact percentiles (8 bytes a decision). */
    private static final class Durations {
        private long[] values = new long[16];
        private int size;

        void add(final long millis) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = millis;
        }

        ObjectNode json(final String month) {
            final long[] sorted = Arrays.copyOf(values, size);
            Arrays.sort(sorted);
            return Json.object().put("month", month).put("decisions", size)
                    .put("medianSeconds", percentile(sorted, 0.5) / 1000.0).put("p90Seconds", percentile(sorted, 0.9) / 1000.0);
        }

        /** The nearest-rank percentile. */
        private static long percentile(final long[] sorted, final double fraction) {
            return sorted.length == 0 ? 0 : sorted[Math.max(0, (int) Math.ceil(fraction * sorted.length) - 1)];
        }
    }

    private final Deserializer<RoutingDecision> decisions;
    private final String overdueTopic;
    private final ZoneId zone;
    private final Map<Cell, Long> requests = new TreeMap<>();
    private final Map<String, Durations> toFirst = new TreeMap<>();
    private final Map<String, Durations> toFinal = new TreeMap<>();
    private final Map<String, long[]> overdue = new TreeMap<>();
    private long undecodable;

    /**
     * @param decisions    reads the decision topics' values (the router's value serde)
     * @param overdueTopic the topic of reviews gone overdue (its records are counted as overdue, not as decisions)
     */
    public DecisionStatistics(final Deserializer<RoutingDecision> decisions, final String overdueTopic, final ZoneId zone) {
        this.decisions = decisions;
        this.overdueTopic = overdueTopic;
        this.zone = zone;
    }

    @Override
    public synchronized void accept(final ConsumerRecord<byte[], byte[]> record) {
        final RoutingDecision decision;
        try {
            decision = decisions.deserialize(record.topic(), record.headers(), record.value());
        } catch (final RuntimeException e) {
            undecodable++;
            return;
        }
        if (decision == null) {
            return;
        }
        final String month = YearMonth.from(decision.getDecidedAt().atZone(zone)).toString();
        if (record.topic().equals(overdueTopic)) {
            overdue.computeIfAbsent(month, ignored -> new long[2])[1]++;
            return;
        }
        final long sinceReceipt = Math.max(0, Duration.between(decision.getRequest().getSubmittedAt(), decision.getDecidedAt()).toMillis());
        final String route = decision.getRoute().name().toLowerCase(Locale.ROOT);
        final boolean reviewed = decision.getReview() != null;
        requests.merge(new Cell(month, decision.getCounterpartState(), decision.getRequest().getKind().name().toLowerCase(Locale.ROOT),
                reviewed ? route + "_after_review" : route), 1L, Long::sum);
        if (!reviewed) {
            toFirst.computeIfAbsent(month, ignored -> new Durations()).add(sinceReceipt);
        }
        if (!"needs_review".equals(route)) {
            toFinal.computeIfAbsent(month, ignored -> new Durations()).add(sinceReceipt);
        }
        if ("needs_review".equals(route)) {
            overdue.computeIfAbsent(month, ignored -> new long[2])[0]++;
        }
    }

    /** {@code {"requests": [...], "timeToFirstDecision": [...], "timeToFinalDecision": [...], "overdue": [...], "undecodable"}}. */
    public synchronized ObjectNode json() {
        final ObjectNode answer = Json.object().put("timeZone", zone.getId());
        final ArrayNode cells = answer.putArray("requests");
        requests.forEach((cell, count) -> cells.addObject().put("month", cell.month()).put("counterpart", cell.counterpart())
                .put("kind", cell.kind()).put("outcome", cell.outcome()).put("requests", count));
        final ArrayNode first = answer.putArray("timeToFirstDecision");
        toFirst.forEach((month, durations) -> first.add(durations.json(month)));
        final ArrayNode last = answer.putArray("timeToFinalDecision");
        toFinal.forEach((month, durations) -> last.add(durations.json(month)));
        final ArrayNode late = answer.putArray("overdue");
        overdue.forEach((month, counts) -> late.addObject().put("month", month).put("toReview", counts[0]).put("overdue", counts[1])
                .put("share", counts[0] == 0 ? 0 : Math.round(1000.0 * counts[1] / counts[0]) / 1000.0));
        answer.put("undecodable", undecodable);
        return answer;
    }

    /** One table of {@link #json()} as CSV: {@code requests}, {@code times} or {@code overdue}; null for another name. */
    public synchronized String csv(final String table) {
        final StringBuilder csv = new StringBuilder();
        switch (table) {
            case "requests" -> {
                csv.append("month,counterpart,kind,outcome,requests\r\n");
                requests.forEach((cell, count) -> csv.append(cell.month()).append(',').append(cell.counterpart()).append(',').append(cell.kind())
                        .append(',').append(cell.outcome()).append(',').append(count).append("\r\n"));
            }
            case "times" -> {
                csv.append("month,to,decisions,median_seconds,p90_seconds\r\n");
                toFirst.forEach((month, durations) -> row(csv, durations.json(month), "first"));
                toFinal.forEach((month, durations) -> row(csv, durations.json(month), "final"));
            }
            case "overdue" -> {
                csv.append("month,to_review,overdue,share\r\n");
                overdue.forEach((month, counts) -> csv.append(month).append(',').append(counts[0]).append(',').append(counts[1]).append(',')
                        .append(counts[0] == 0 ? 0 : Math.round(1000.0 * counts[1] / counts[0]) / 1000.0).append("\r\n"));
            }
            default -> {
                return null;
            }
        }
        return csv.toString();
    }

    private static void row(final StringBuilder csv, final ObjectNode times, final String to) {
        csv.append(times.get("month").asText()).append(',').append(to).append(',').append(times.get("decisions").asLong()).append(',')
                .append(times.get("medianSeconds").asDouble()).append(',').append(times.get("p90Seconds").asDouble()).append("\r\n");
    }
}
