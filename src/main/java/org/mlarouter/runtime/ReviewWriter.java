package org.mlarouter.runtime;

import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import org.mlarouter.json.Json;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.mlarouter.avro.OutcomeKind;
import org.mlarouter.avro.ReviewOutcome;
import org.mlarouter.avro.Route;
import org.mlarouter.clients.Clients;
import org.mlarouter.config.RouterSettings;
import org.mlarouter.config.TopicRole;
import org.mlarouter.ops.OperatorView.Answer;
import org.mlarouter.policy.ReviewRules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a reviewer's outcome from the console to the review topic: the same {@link ReviewOutcome} the {@code review}
 * command writes, checked first by the rules the router applies ({@link ReviewRules}, the counterpart's instruments
 * included), and refused at once for a request that is not pending review (the router would dead-letter it as
 * {@code NOT_PENDING_REVIEW}). Each
 * outcome written is logged with the request id, the decision and the reviewer id, never the grounds or any personal data.
 */
final class ReviewWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReviewWriter.class);

    private final RouterSettings settings;
    private final Clock clock;
    private KafkaProducer<String, ReviewOutcome> producer;

    ReviewWriter(final RouterSettings settings, final Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * @param status      the request's status as {@code GET /requests/{id}} answers it
     * @param instruments the ids of a counterpart's instruments in force
     */
    synchronized Answer write(final String requestId, final String decision, final String legalBasis, final String reviewer,
                              final String grounds, final Answer status, final Function<String, Set<String>> instruments) {
        if (requestId == null || requestId.isBlank()) {
            return Answer.error(422, "The request id is blank");
        }
        final List<ReviewRules.Problem> withoutCoverage = ReviewRules.problems(decision, reviewer, grounds, legalBasis, null, null);
        if (!withoutCoverage.isEmpty()) {
            return Answer.error(422, withoutCoverage.get(0).sentence());
        }
        if (status.status() != 200) {
            return status;
        }
        final JsonNode current = status.json();
        if (!"NEEDS_REVIEW".equals(current.path("status").asText()) || current.hasNonNull("review")) {
            return Answer.error(409, "Request " + requestId + " is not pending review (it is " + current.path("status").asText() + ")");
        }
        final String counterpart = current.path("counterpartState").asText();
        final List<ReviewRules.Problem> problems = ReviewRules.problems(decision, reviewer, grounds, legalBasis, counterpart,
                instruments.apply(counterpart));
        if (!problems.isEmpty()) {
            return Answer.error(422, problems.get(0).sentence());
        }
        final Route route = Route.valueOf(decision);
        final String topic = settings.router().topic(TopicRole.REVIEWS);
        final ReviewOutcome outcome = new ReviewOutcome(requestId, route, ReviewRules.legalBasis(legalBasis), reviewer, grounds, clock.instant(),
                OutcomeKind.DECISION);
        try {
            if (producer == null) {
                producer = new Clients(settings).producer(ReviewOutcome.class);
            }
            producer.send(new ProducerRecord<>(topic, requestId, outcome)).get(30, TimeUnit.SECONDS);
        } catch (final ExecutionException | TimeoutException e) {
            return Answer.error(503, "The outcome was not written to " + topic + ": " + (e.getCause() == null ? e : e.getCause()).getMessage());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return Answer.error(503, "Interrupted");
        }
        LOG.info("Review outcome {} for {} written to {} by reviewer {} (console)", route, requestId, topic, reviewer);
        return new Answer(200, Json.object().put("requestId", requestId).put("decision", route.name()).put("topic", topic));
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(10));
        }
    }
}
