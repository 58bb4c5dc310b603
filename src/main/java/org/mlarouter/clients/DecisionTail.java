package org.mlarouter.clients;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.mlarouter.avro.RoutingDecision;
import org.mlarouter.json.AvroJson;

/**
 * Prints decisions as JSON lines (the JSON form of docs/contract.md), from the decision topics of the chosen routes, as
 * they are committed. Stops after a number of decisions, after a time with none, or when interrupted.
 */
public final class DecisionTail {

    private final KafkaConsumer<String, RoutingDecision> consumer;
    private final PrintStream out;
    private final PrintStream problems;

    /** How each decision is shown: as it is, or with its personal data decrypted ({@code tail --decrypt}). */
    private java.util.function.UnaryOperator<RoutingDecision> shown = java.util.function.UnaryOperator.identity();

    /** Shows each decision through {@code how} (e.g. decrypted). */
    public DecisionTail showing(final java.util.function.UnaryOperator<RoutingDecision> how) {
        this.shown = how;
        return this;
    }

    public DecisionTail(final KafkaConsumer<String, RoutingDecision> consumer, final PrintStream out, final PrintStream problems) {
        this.consumer = consumer;
        this.out = out;
        this.problems = problems;
    }

    /**
     * @param topics        the decision topics to follow
     * @param fromBeginning start at the oldest decision rather than the next one
     * @param maxDecisions  stop after this many (0: no limit)
     * @param idleTimeout   stop after this long without a decision (null: never)
     * @return how many decisions were printed
     */
    public int follow(final List<String> topics, final boolean fromBeginning, final int maxDecisions, final Duration idleTimeout) {
        TopicReader.assign(consumer, topics, fromBeginning);
        int printed = 0;
        Instant lastSeen = Instant.now();
        while (!Thread.currentThread().isInterrupted()) {
            final Iterable<ConsumerRecord<String, RoutingDecision>> records;
            try {
                records = consumer.poll(Duration.ofMillis(200));
            } catch (final RecordDeserializationException e) {
                problems.println("Skipping " + e.topicPartition() + "@" + e.offset() + ": " + rootMessage(e));
                consumer.seek(e.topicPartition(), e.offset() + 1);
                continue;
            } catch (final org.apache.kafka.common.errors.InterruptException e) {
                break;
            }
            for (final ConsumerRecord<String, RoutingDecision> record : records) {
                out.println(AvroJson.toJsonLine(shown.apply(record.value())));
                lastSeen = Instant.now();
                printed++;
                if (maxDecisions > 0 && printed >= maxDecisions) {
                    out.flush();
                    return printed;
                }
            }
            out.flush();
            if (idleTimeout != null && Instant.now().isAfter(lastSeen.plus(idleTimeout))) {
                break;
            }
        }
        return printed;
    }

    private static String rootMessage(final Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage();
    }
}
