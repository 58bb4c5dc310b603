package org.mlarouter.clients;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.mlarouter.treaty.TreatyTable;
import org.mlarouter.avro.TreatyCoverage;
import org.mlarouter.json.AvroJson;

/**
 * Publishes a treaty table to the compacted treaty topic, keyed by counterpart code, so that the running router applies
 * it to the next request. Only what changed is published: a counterpart whose instruments and name are the same as
 * on the topic is left alone, and a changed one gets a revision above the one on the topic (or the file's, if higher)
 * and a fresh {@code updatedAt}. Counterparts absent from the table are left alone too; {@link #remove} deletes one.
 */
public final class TreatyPublisher {

    private final String topic;
    private final Clock clock;

    public TreatyPublisher(final String topic, final Clock clock) {
        this.topic = topic;
        this.clock = clock;
    }

    /** What a publication did: the counterparts published (and the coverage each got) and those left unchanged. */
    public static final class Summary {
        public final List<String> published;
        public final List<String> unchanged;
        public final List<TreatyCoverage> coverages;

        Summary(final List<TreatyCoverage> coverages, final List<String> unchanged) {
            this.published = coverages.stream().map(TreatyCoverage::getCounterpartState).toList();
            this.unchanged = List.copyOf(unchanged);
            this.coverages = List.copyOf(coverages);
        }
    }

    /** The coverage on the topic now, by counterpart (tombstones applied; undecodable records skipped). */
    public Map<String, TreatyCoverage> current(final KafkaConsumer<String, TreatyCoverage> consumer) {
        final Map<String, TreatyCoverage> coverageByCountry = new LinkedHashMap<>();
        final List<TopicPartition> partitions = TopicReader.assign(consumer, List.of(topic), true);
        TopicReader.readToEnd(consumer, partitions, Duration.ofSeconds(60), record -> {
            if (record.value() == null) {
                coverageByCountry.remove(record.key());
            } else {
                coverageByCountry.put(record.key(), record.value());
            }
        });
        return coverageByCountry;
    }

    /**
     * What publishing {@code table} over {@code current} would change, without publishing: each counterpart that differs,
     * at its next revision, with a fresh {@code updatedAt} and who changes it and why (either may be null).
     */
    public Summary changes(final TreatyTable table, final Map<String, TreatyCoverage> current, final String author, final String note) {
        final List<TreatyCoverage> changed = new java.util.ArrayList<>();
        final List<String> unchanged = new java.util.ArrayList<>();
        for (final TreatyCoverage wanted : table.all()) {
            final TreatyCoverage existing = current.get(wanted.getCounterpartState());
            if (existing != null && sameFacts(existing, wanted)) {
                unchanged.add(wanted.getCounterpartState());
                continue;
            }
            changed.add(TreatyCoverage.newBuilder(wanted)
                    .setRevision(existing == null ? wanted.getRevision() : Math.max(existing.getRevision() + 1, wanted.getRevision()))
                    .setUpdatedAt(existing == null ? wanted.getUpdatedAt() : clock.instant())
                    .setChangedBy(author)
                    .setChangeNote(note)
                    .setApprovedBy(null)
                    .build());
        }
        return new Summary(changed, unchanged);
    }

    /** Publishes the changed counterparts of {@code table}, given what is on the topic now, and waits for the broker. */
    public Summary publish(final Producer<String, TreatyCoverage> producer, final TreatyTable table,
                           final Map<String, TreatyCoverage> current) {
        return publish(producer, changes(table, current, null, null));
    }

    /** Publishes the coverage of a summary of changes, and waits for the broker. */
    public Summary publish(final Producer<String, TreatyCoverage> producer, final Summary changes) {
        publish(producer, changes.coverages);
        return changes;
    }

    /** Publishes coverage records as they are, and waits for the broker. */
    public void publish(final Producer<String, TreatyCoverage> producer, final List<TreatyCoverage> coverages) {
        final List<Future<RecordMetadata>> sends = new java.util.ArrayList<>();
        for (final TreatyCoverage next : coverages) {
            sends.add(producer.send(new ProducerRecord<>(topic, next.getCounterpartState(), next)));
        }
        await(producer, sends);
    }

    /** Removes a counterpart: a tombstone on the compacted topic. */
    public void remove(final Producer<String, TreatyCoverage> producer, final String counterpartState) {
        await(producer, List.of(producer.send(new ProducerRecord<>(topic, counterpartState, null))));
    }

    /**
     * Same name and instruments. Compared in the JSON form: a list read from the topic is an Avro array whose equals
     * uses the default data model, which has no conversion for the {@code date} fields and fails on them.
     */
    private static boolean sameFacts(final TreatyCoverage a, final TreatyCoverage b) {
        final com.fasterxml.jackson.databind.JsonNode first = AvroJson.toJson(a);
        final com.fasterxml.jackson.databind.JsonNode second = AvroJson.toJson(b);
        return Objects.equals(first.get("counterpartName"), second.get("counterpartName"))
                && Objects.equals(first.get("instruments"), second.get("instruments"));
    }

    private static void await(final Producer<?, ?> producer, final List<Future<RecordMetadata>> sends) {
        producer.flush();
        for (final Future<RecordMetadata> send : sends) {
            try {
                send.get();
            } catch (final ExecutionException e) {
                throw new IllegalStateException("Publishing treaty coverage failed: " + e.getCause().getMessage(), e.getCause());
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while publishing treaty coverage", e);
            }
        }
    }
}
