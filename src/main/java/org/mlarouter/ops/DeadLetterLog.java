package org.mlarouter.ops;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.mlarouter.json.Json;
import org.mlarouter.topology.DeadLetterHeaders;

/**
 * What the dead-letter topics hold, for operators (the console's dead-letter page): how many records by dead-letter
 * topic, reason, failed step and source topic, since when and until when, and the latest ones with where they came
 * from. Read from the records' headers only, never their content: a dead letter's value, key and exception message are
 * not looked at (they may hold personal data).
 */
public final class DeadLetterLog implements Consumer<ConsumerRecord<byte[], byte[]>> {

    /** How many of the latest dead letters are kept. */
    static final int LATEST = 50;

    private record Group(String topic, String reason, String stage, String source) implements Comparable<Group> {
        @Override
        public int compareTo(final Group other) {
            return (topic + '\0' + reason + '\0' + stage + '\0' + source).compareTo(other.topic + '\0' + other.reason + '\0' + other.stage + '\0' + other.source);
        }
    }

    private static final class Tally {
        long count;
        Instant first;
        Instant last;
    }

    private record Letter(Instant at, Group group, int partition, long offset, String sourcePartition, String sourceOffset) {
    }

    private final Map<Group, Tally> tallies = new TreeMap<>();
    private final Deque<Letter> latest = new ArrayDeque<>();

    @Override
    public synchronized void accept(final ConsumerRecord<byte[], byte[]> record) {
        final Group group = new Group(record.topic(), orUnknown(DeadLetterHeaders.text(record.headers(), DeadLetterHeaders.REASON)),
                orUnknown(DeadLetterHeaders.text(record.headers(), DeadLetterHeaders.STAGE)),
                orUnknown(DeadLetterHeaders.text(record.headers(), DeadLetterHeaders.TOPIC)));
        final Instant at = Instant.ofEpochMilli(record.timestamp());
        final Tally tally = tallies.computeIfAbsent(group, ignored -> new Tally());
        tally.count++;
        tally.first = tally.first == null || at.isBefore(tally.first) ? at : tally.first;
        tally.last = tally.last == null || at.isAfter(tally.last) ? at : tally.last;
        latest.addFirst(new Letter(at, group, record.partition(), record.offset(), DeadLetterHeaders.text(record.headers(), DeadLetterHeaders.PARTITION),
                DeadLetterHeaders.text(record.headers(), DeadLetterHeaders.OFFSET)));
        while (latest.size() > LATEST) {
            latest.removeLast();
        }
    }

    /** {@code {"total", "byReason": [{topic, reason, stage, source, count, first, last}], "latest": [...]}}, newest first. */
    public synchronized ObjectNode json() {
        final ObjectNode answer = Json.object();
        final ArrayNode byReason = answer.putArray("byReason");
        long total = 0;
        for (final Map.Entry<Group, Tally> entry : tallies.entrySet()) {
            total += entry.getValue().count;
            byReason.addObject().put("topic", entry.getKey().topic()).put("reason", entry.getKey().reason()).put("stage", entry.getKey().stage())
                    .put("source", entry.getKey().source()).put("count", entry.getValue().count)
                    .put("first", entry.getValue().first.toString()).put("last", entry.getValue().last.toString());
        }
        answer.put("total", total);
        final ArrayNode newest = answer.putArray("latest");
        latest.stream().sorted(java.util.Comparator.comparing(Letter::at).reversed()).forEach(letter -> newest.addObject().put("at", letter.at().toString()).put("topic", letter.group().topic())
                .put("partition", letter.partition()).put("offset", letter.offset()).put("reason", letter.group().reason())
                .put("stage", letter.group().stage()).put("source", letter.group().source())
                .put("sourcePartition", letter.sourcePartition()).put("sourceOffset", letter.sourceOffset()));
        return answer;
    }

    private static String orUnknown(final String value) {
        return value == null || value.isBlank() ? "unknown" : value;
    }
}
