package org.mlarouter.clients;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.mlarouter.avro.TreatyCoverage;
import org.mlarouter.json.AvroJson;
import org.mlarouter.json.Json;

/**
 * The record of coverage changes on the treaty-changes topic ({@code mla.treaties.changes}, kept): each change of a
 * counterpart's coverage with who proposed it and why, who approved or rejected it, and what changed. JSON values keyed
 * by counterpart code, in the order they happened; no personal data. A change is {@link State#APPLIED} at once when
 * {@code mla.treaties.four.eyes} is off; otherwise {@link State#PROPOSED}, then {@link State#APPROVED} (and applied) or
 * {@link State#REJECTED} by a supervisor other than its proposer. A newer proposal for a counterpart replaces a pending one.
 */
public final class CoverageChangeLog {

    /** Where a change stands. */
    public enum State {
        /** Applied at once (no four-eyes). */
        APPLIED,
        /** Waiting for a supervisor's approval. */
        PROPOSED,
        /** Approved by a second person, and applied. */
        APPROVED,
        /** Rejected by a supervisor (or withdrawn by its proposer). */
        REJECTED,
        /** The counterpart's coverage removed ({@code treaties remove}, four-eyes off). */
        REMOVED
    }

    /**
     * One entry of the record.
     *
     * @param revision   the coverage revision it makes (or would make)
     * @param proposedBy who proposed it (a staff id, or the operating-system user of a {@code treaties load} on Kafka)
     * @param decidedBy  who approved or rejected it; null while proposed, or when applied without four-eyes
     * @param changes    what changed, in words, one line per difference
     * @param coverage   the coverage it makes, as JSON ({@link AvroJson})
     */
    public record Change(String counterpartState, State state, long revision, String proposedBy, String note, String decidedBy,
                         String grounds, Instant at, List<String> changes, JsonNode coverage) {

        public Change {
            Objects.requireNonNull(counterpartState, "counterpartState");
            Objects.requireNonNull(state, "state");
            changes = List.copyOf(changes);
        }

        /** The same change, decided: approved or rejected by {@code who} at {@code when}. */
        public Change decided(final State outcome, final String who, final String why, final Instant when) {
            return new Change(counterpartState, outcome, revision, proposedBy, note, who, why, when, changes, coverage);
        }

        public ObjectNode toJson() {
            final ObjectNode json = Json.object().put("counterpartState", counterpartState).put("state", state.name()).put("revision", revision)
                    .put("proposedBy", proposedBy).put("note", note).put("decidedBy", decidedBy).put("grounds", grounds).put("at", at.toString());
            final ArrayNode lines = json.putArray("changes");
            changes.forEach(lines::add);
            json.set("coverage", coverage);
            return json;
        }

        static Change of(final JsonNode json) {
            final List<String> lines = new ArrayList<>();
            json.path("changes").forEach(line -> lines.add(line.asText()));
            return new Change(json.path("counterpartState").asText(), State.valueOf(json.path("state").asText()), json.path("revision").asLong(),
                    text(json, "proposedBy"), text(json, "note"), text(json, "decidedBy"), text(json, "grounds"),
                    Instant.parse(json.path("at").asText()), lines, json.path("coverage"));
        }

        private static String text(final JsonNode json, final String field) {
            return json.path(field).isTextual() ? json.path(field).asText() : null;
        }

        /** The coverage it makes, with its author, note and approver. */
        public TreatyCoverage coverage(final String approvedBy) {
            final TreatyCoverage read = AvroJson.fromJson(coverage, TreatyCoverage.class);
            read.setChangedBy(proposedBy);
            read.setChangeNote(note);
            read.setApprovedBy(approvedBy);
            return read;
        }
    }

    private final String topic;

    public CoverageChangeLog(final String topic) {
        this.topic = topic;
    }

    public String topic() {
        return topic;
    }

    /** Every change on the topic, oldest first (records that are not changes are skipped). */
    public List<Change> read(final KafkaConsumer<byte[], byte[]> consumer) {
        final List<Change> changes = new ArrayList<>();
        final List<TopicPartition> partitions = TopicReader.assign(consumer, List.of(topic), true);
        TopicReader.readToEnd(consumer, partitions, Duration.ofSeconds(60), record -> {
            if (record.value() != null) {
                try {
                    changes.add(Change.of(Json.MAPPER.readTree(record.value())));
                } catch (final java.io.IOException | RuntimeException notAChange) {
                    // not written by the router's tools: nothing to show
                }
            }
        });
        return changes;
    }

    /** The changes of coverage applied at once (no four-eyes), each by its {@code changedBy} for its {@code changeNote}, over {@code before}. */
    public static List<Change> applied(final List<TreatyCoverage> coverages, final Map<String, TreatyCoverage> before) {
        final List<Change> changes = new ArrayList<>();
        for (final TreatyCoverage next : coverages) {
            changes.add(new Change(next.getCounterpartState(), State.APPLIED, next.getRevision(), next.getChangedBy(), next.getChangeNote(), null,
                    null, next.getUpdatedAt(), differences(before.get(next.getCounterpartState()), next), AvroJson.toJson(next)));
        }
        return changes;
    }

    /** The proposals waiting for approval, by counterpart: each counterpart's latest change, when it is proposed. */
    public static Map<String, Change> pending(final List<Change> changes) {
        final Map<String, Change> latest = new LinkedHashMap<>();
        changes.forEach(change -> latest.put(change.counterpartState(), change));
        latest.values().removeIf(change -> change.state() != State.PROPOSED);
        return latest;
    }

    /** Writes changes and waits for the broker. */
    public void write(final Producer<byte[], byte[]> producer, final List<Change> changes) {
        final List<java.util.concurrent.Future<?>> sends = new ArrayList<>();
        for (final Change change : changes) {
            sends.add(producer.send(new ProducerRecord<>(topic, change.counterpartState().getBytes(StandardCharsets.UTF_8),
                    change.toJson().toString().getBytes(StandardCharsets.UTF_8))));
        }
        producer.flush();
        for (final java.util.concurrent.Future<?> send : sends) {
            try {
                send.get();
            } catch (final ExecutionException e) {
                throw new IllegalStateException("Recording a coverage change on " + topic + " failed: " + e.getCause().getMessage(), e.getCause());
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while recording a coverage change", e);
            }
        }
    }

    /**
     * What changed from {@code before} (null: nothing) to {@code after}, in words: the name, and per instrument (by id)
     * added, removed, or each field that differs ({@code "KZ-VN-MLA: status SIGNED → IN_FORCE"}). Sources are compared too.
     */
    public static List<String> differences(final TreatyCoverage before, final TreatyCoverage after) {
        final List<String> lines = new ArrayList<>();
        if (before == null) {
            lines.add("new counterpart " + after.getCounterpartState() + " (" + after.getCounterpartName() + ")");
            after.getInstruments().forEach(instrument -> lines.add(instrument.getId() + ": added, " + instrument.getStatus()));
            return lines;
        }
        if (!before.getCounterpartName().equals(after.getCounterpartName())) {
            lines.add("name " + before.getCounterpartName() + " → " + after.getCounterpartName());
        }
        final Map<String, JsonNode> was = byId(AvroJson.toJson(before));
        final Map<String, JsonNode> now = byId(AvroJson.toJson(after));
        was.forEach((id, instrument) -> {
            if (!now.containsKey(id)) {
                lines.add(id + ": removed");
            }
        });
        now.forEach((id, instrument) -> {
            final JsonNode earlier = was.get(id);
            if (earlier == null) {
                lines.add(id + ": added, " + instrument.path("status").asText());
                return;
            }
            for (final Iterator<String> fields = instrument.fieldNames(); fields.hasNext(); ) {
                final String field = fields.next();
                if (!instrument.get(field).equals(earlier.path(field))) {
                    lines.add(id + ": " + field + " " + shown(earlier.path(field)) + " → " + shown(instrument.get(field)));
                }
            }
        });
        return lines;
    }

    private static Map<String, JsonNode> byId(final JsonNode coverage) {
        final Map<String, JsonNode> instruments = new LinkedHashMap<>();
        coverage.path("instruments").forEach(instrument -> instruments.put(instrument.path("id").asText(), instrument));
        return instruments;
    }

    private static String shown(final JsonNode value) {
        if (value.isMissingNode() || value.isNull()) {
            return "–";
        }
        final String text = value.isTextual() ? value.asText() : value.toString();
        return text.length() > 80 ? text.substring(0, 77) + "..." : text;
    }
}
