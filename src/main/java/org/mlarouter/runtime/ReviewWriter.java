package org.mlarouter.runtime;

import java.time.Clock;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.mlarouter.avro.ReviewOutcome;
import org.mlarouter.avro.Route;
import org.mlarouter.clients.Clients;
import org.mlarouter.config.RouterSettings;
import org.mlarouter.config.TopicRole;
import org.mlarouter.ops.OperatorView.Answer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a reviewer's outcome from the console to the review topic: the same {@link ReviewOutcome} the {@code review}
 * command writes, checked the same way first (a request id, a reviewer, grounds, ACCEPTED or REFUSED), and refused at
 * once for a request that is not pending review (the router would dead-letter it as {@code NOT_PENDING_REVIEW}). Each
 * outcome written is logged with the request id, the decision and the reviewer id, never the grounds or any personal data.
 */
final class ReviewWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReviewWriter.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RouterSettings settings;
    private final Clock clock;
    private KafkaProducer<String, ReviewOutcome> producer;

    ReviewWriter(final RouterSettings settings, final Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * @param status the request's status as {@code GET /requests/{id}} answers it
     */
    synchronized Answer write(final String requestId, final String decision, final String legalBasis, final String reviewer,
                              final String grounds, final Answer status) {
        for (final String[] given : new String[][] {{"request id", requestId}, {"reviewer", reviewer}, {"grounds", grounds}, {"decision", decision}}) {
            if (given[1] == null || given[1].isBlank()) {
                return Answer.error(422, "The " + given[0] + " is blank");
            }
        }
        final Route route;
        try {
            route = Route.valueOf(decision);
        } catch (final IllegalArgumentException e) {
            return Answer.error(422, "The decision must be ACCEPTED or REFUSED, not " + decision);
        }
        if (route == Route.NEEDS_REVIEW) {
            return Answer.error(422, "The decision must be ACCEPTED or REFUSED, not NEEDS_REVIEW");
        }
        if (route == Route.REFUSED && legalBasis != null && !legalBasis.isBlank()) {
            return Answer.error(422, "A refusal has no legal basis");
        }
        if (status.status() != 200) {
            return status;
        }
        try {
            final JsonNode current = JSON.readTree(status.json());
            if (!"NEEDS_REVIEW".equals(current.path("status").asText()) || current.hasNonNull("review")) {
                return Answer.error(409, "Request " + requestId + " is not pending review (it is " + current.path("status").asText() + ")");
            }
        } catch (final java.io.IOException e) {
            return Answer.error(502, "The request's status could not be read");
        }
        final String topic = settings.router().topic(TopicRole.REVIEWS);
        final ReviewOutcome outcome = new ReviewOutcome(requestId, route, legalBasis == null || legalBasis.isBlank() ? null : legalBasis.trim(),
                reviewer, grounds, clock.instant());
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
        return new Answer(200, JSON.createObjectNode().put("requestId", requestId).put("decision", route.name()).put("topic", topic).toString());
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(10));
        }
    }
}
