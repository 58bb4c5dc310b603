package org.mlarouter.runtime;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.mlarouter.avro.OutcomeKind;
import org.mlarouter.avro.ReviewOutcome;
import org.mlarouter.avro.Route;
import org.mlarouter.clients.Clients;
import org.mlarouter.config.RouterSettings;
import org.mlarouter.config.TopicRole;
import org.mlarouter.ops.OperatorView.Answer;
import org.mlarouter.policy.FourEyes;
import org.mlarouter.policy.ReviewRules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records a signed-in person's outcome, for the API and the console alike (docs/contract.md, "Outcomes come from
 * signed-in people only"). The outcome is judged first by the rules the review processor applies ({@link ReviewRules},
 * the counterpart's instruments and four-eyes included) against the request's status; one that cannot be applied is
 * answered at once (404 {@code UNKNOWN_REQUEST}, 409 {@code NOT_PENDING_REVIEW}, 422 {@code INVALID_OUTCOME}, 403 for
 * a proposer confirming or returning their own proposal). One that can is written to the review topic, signed, with
 * the identity as reviewer and this router's clock as {@code reviewedAt}, and answered with the request's status once
 * the router has applied it or held it for confirmation. Each outcome written is logged with the request id, the kind,
 * the decision and the reviewer id, never the grounds or any personal data.
 */
final class ReviewWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReviewWriter.class);
    /** How often the request's status is asked while its outcome is being applied. */
    private static final Duration POLL = Duration.ofMillis(100);

    private final RouterSettings settings;
    private final Clock clock;
    private final FourEyes fourEyes;
    private final Duration applyTimeout;
    private KafkaProducer<String, ReviewOutcome> producer;

    ReviewWriter(final RouterSettings settings, final Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.fourEyes = settings.router().fourEyes();
        this.applyTimeout = Duration.ofSeconds(30);
    }

    /**
     * @param status      the request's status as {@code GET /requests/{id}} answers it, asked again while waiting
     * @param instruments the ids of a counterpart's instruments in force
     */
    Answer write(final String requestId, final OutcomeKind kind, final String decision, final String legalBasis, final String reviewer,
                 final String grounds, final Supplier<Answer> status, final Function<String, Set<String>> instruments) {
        if (requestId == null || requestId.isBlank()) {
            return Answer.error(422, ReviewRules.Rejection.INVALID_OUTCOME.name(), "The request id is blank");
        }
        final Answer before = status.get();
        if (before.status() == 404) {
            return Answer.error(404, "UNKNOWN_REQUEST", "No request " + requestId + " was decided by this router");
        }
        if (before.status() != 200) {
            return before;
        }
        final JsonNode current = before.json();
        final String shown = current.path("status").asText();
        final boolean pending = current.path("review").isNull()
                && ("NEEDS_REVIEW".equals(shown) || "AWAITING_CONFIRMATION".equals(shown));
        final JsonNode proposal = current.path("proposal");
        final ReviewRules.Proposal held = proposal.isObject()
                ? new ReviewRules.Proposal(proposal.path("decision").asText(), proposal.path("reviewer").asText()) : null;
        final String counterpart = current.path("counterpartState").asText();
        final ReviewRules.Judgement judgement = ReviewRules.judge(pending, held, kind, decision, reviewer, grounds, legalBasis, counterpart,
                instruments.apply(counterpart), fourEyes);
        if (judgement.rejected()) {
            return rejected(requestId, shown, judgement);
        }
        final Instant reviewedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        final ReviewOutcome outcome = new ReviewOutcome(requestId,
                kind == OutcomeKind.DECISION ? Route.valueOf(decision) : Route.valueOf(held.decision()),
                kind == OutcomeKind.DECISION ? ReviewRules.legalBasis(legalBasis) : null, reviewer.trim(),
                grounds == null || grounds.isBlank() ? "" : grounds, reviewedAt, kind);
        final String topic = settings.router().topic(TopicRole.REVIEWS);
        try {
            producer().send(new ProducerRecord<>(topic, requestId, outcome)).get(30, TimeUnit.SECONDS);
        } catch (final ExecutionException | TimeoutException e) {
            return Answer.error(503, "The outcome was not written to " + topic + ": " + (e.getCause() == null ? e : e.getCause()).getMessage());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return Answer.error(503, "Interrupted");
        }
        LOG.info("Review outcome {} {} for {} written to {} by reviewer {}", kind, outcome.getDecision(), requestId, topic, outcome.getReviewer());
        return awaitApplied(requestId, kind, judgement.effect(), outcome, held, status);
    }

    private static Answer rejected(final String requestId, final String shown, final ReviewRules.Judgement judgement) {
        switch (judgement.rejection()) {
            case NOT_PENDING_REVIEW:
                return Answer.error(409, judgement.reason(), "Request " + requestId + " is " + shown + ": " + judgement.message());
            case OWN_PROPOSAL:
                return Answer.error(403, judgement.reason(), sentence(judgement.message()));
            default:
                return Answer.error(422, judgement.reason(), sentence(judgement.message()));
        }
    }

    /**
     * The request's status once the router shows the outcome applied: 200 with it; 409 when another outcome got there
     * first; 504 when the router has not applied it within the wait (it stays written and will be).
     */
    private Answer awaitApplied(final String requestId, final OutcomeKind kind, final ReviewRules.Effect effect, final ReviewOutcome outcome,
                                final ReviewRules.Proposal held, final Supplier<Answer> status) {
        final String at = outcome.getReviewedAt().toString();
        final long deadline = System.nanoTime() + applyTimeout.toNanos();
        while (true) {
            final Answer now = status.get();
            if (now.status() == 200) {
                final JsonNode json = now.json();
                final JsonNode review = json.path("review");
                final JsonNode proposal = json.path("proposal");
                final boolean applied;
                switch (effect) {
                    case PROPOSED:
                        applied = proposal.isObject() && outcome.getReviewer().equals(proposal.path("reviewer").asText())
                                && at.equals(proposal.path("reviewedAt").asText());
                        break;
                    case RETURNED:
                        applied = review.isNull() && !proposal.isObject();
                        break;
                    default:
                        applied = review.isObject() && (kind == OutcomeKind.CONFIRMATION
                                ? outcome.getReviewer().equals(review.path("confirmedBy").asText())
                                : outcome.getReviewer().equals(review.path("reviewer").asText()) && at.equals(review.path("reviewedAt").asText()));
                }
                if (applied) {
                    return new Answer(200, json);
                }
                if (review.isObject() || effect == ReviewRules.Effect.PROPOSED && proposal.isObject()
                        || kind != OutcomeKind.DECISION && proposal.isObject() && !held.reviewer().equals(proposal.path("reviewer").asText())) {
                    return Answer.error(409, ReviewRules.Rejection.NOT_PENDING_REVIEW.name(), "Request " + requestId
                            + " was decided by another outcome first: it is " + json.path("status").asText());
                }
            }
            if (System.nanoTime() >= deadline) {
                return Answer.error(504, "The outcome for " + requestId + " was written, and the router has not applied it within "
                        + applyTimeout.toSeconds() + " s; ask for its status again");
            }
            try {
                TimeUnit.NANOSECONDS.sleep(POLL.toNanos());
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                return Answer.error(503, "Interrupted");
            }
        }
    }

    private synchronized KafkaProducer<String, ReviewOutcome> producer() {
        if (producer == null) {
            producer = new Clients(settings).outcomeProducer();
        }
        return producer;
    }

    private static String sentence(final String message) {
        return message.substring(0, 1).toUpperCase(java.util.Locale.ROOT) + message.substring(1);
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
        }
    }
}
