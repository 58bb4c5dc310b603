package org.mlarouter.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.mlarouter.avro.OutcomeKind;
import org.mlarouter.avro.ReviewOutcome;
import org.mlarouter.avro.Route;
import org.mlarouter.avro.RoutingDecision;
import org.mlarouter.clients.TopicReader;
import org.mlarouter.config.TopicRole;

/**
 * A reviewer at work in a thread of its own: an outcome for every NEEDS_REVIEW decision committed, once, accepted or
 * refused by turns, each refusal confirmed by a second supervisor. The outcomes are signed with the router's key, as the
 * router writes them for signed-in people. Any failure of its producer or consumer fails the test ({@link #requireNoFailure()}).
 */
public final class Reviewer implements AutoCloseable {

    private final RouterUnderTest app;
    private final Set<String> reviewed = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean stop;

    public Reviewer(final RouterUnderTest app) {
        this.app = app;
        this.thread = new Thread(this::work, "reviewer");
        thread.start();
    }

    private void work() {
        try (KafkaConsumer<String, RoutingDecision> consumer = app.clients().consumer(RoutingDecision.class);
             KafkaProducer<String, ReviewOutcome> producer = app.clients().outcomeProducer()) {
            TopicReader.assign(consumer, List.of(app.topic(TopicRole.NEEDS_REVIEW)), true);
            while (!stop) {
                for (final ConsumerRecord<String, RoutingDecision> record : consumer.poll(Duration.ofMillis(200))) {
                    final String id = record.value().getRequestId();
                    if (reviewed.add(id)) {
                        final Route decision = Math.floorMod(id.hashCode(), 2) == 0 ? Route.ACCEPTED : Route.REFUSED;
                        send(producer, id, Outcomes.of(id, decision).build());
                        if (decision == Route.REFUSED) {
                            // Four-eyes (the default, refusals): a second supervisor confirms the proposal, right after it.
                            send(producer, id, Outcomes.of(id, decision).setReviewer("PG-SUPERVISOR-2").setKind(OutcomeKind.CONFIRMATION).build());
                        }
                    }
                }
                producer.flush();
            }
        } catch (final Exception e) {
            failure.compareAndSet(null, e);
        }
    }

    private void send(final KafkaProducer<String, ReviewOutcome> producer, final String id, final ReviewOutcome outcome) {
        producer.send(new ProducerRecord<>(app.topic(TopicRole.REVIEWS), id, outcome), (metadata, error) -> {
            if (error != null) {
                failure.compareAndSet(null, error);
            }
        });
    }

    /** Requests reviewed so far (a refusal is two outcomes: the proposal and its confirmation). */
    public int sent() {
        return reviewed.size();
    }

    /** The ids of the requests reviewed so far. */
    public Set<String> reviewed() {
        return Set.copyOf(reviewed);
    }

    public void requireNoFailure() {
        assertEquals(null, failure.get(), "the reviewer's producer and consumer failed");
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        thread.join(Duration.ofSeconds(30).toMillis());
        requireNoFailure();
    }
}
