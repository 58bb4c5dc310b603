package org.mlarouter.topology;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.mlarouter.avro.Review;
import org.mlarouter.avro.ReviewOutcome;
import org.mlarouter.avro.Route;
import org.mlarouter.avro.RoutingDecision;
import org.mlarouter.config.RouterConfig;
import org.mlarouter.policy.FourEyes;
import org.mlarouter.privacy.OutcomeSignature;
import org.mlarouter.policy.ReviewRules;

/**
 * The review loop (docs/contract.md, version 2). Applies a reviewer's outcome to a request pending review: one final
 * decision, ACCEPTED or REFUSED, built from the pending one (its reasons, coverage revision and request kept; the
 * reviewer's route and legal basis, else the router's; {@code review} filled in), and the request is no longer pending.
 * An outcome that cannot be applied becomes a dead letter with its reason ({@code UNKNOWN_REQUEST},
 * {@code NOT_PENDING_REVIEW}, {@code INVALID_OUTCOME}), a branch of the topology, and changes nothing.
 *
 * <p>On wall-clock time it writes each review past its deadline ({@code mla.review.deadline.*}, by urgency) once to the
 * overdue topic, marking it overdue in the request's status (so a restart does not write it again), and forgets the
 * statuses past {@code mla.request.retention}.
 *
 * <p>An outcome waits in the {@code outcomes-awaiting-request} store ({@link AwaitingOutcome}) while its request is not
 * decided, and while an update of its request's counterpart's coverage waits for the Schema Registry (its instruments
 * are checked against that coverage); it is looked at again each second. Each second too, the requests pending review
 * whose counterpart's coverage changed are decided again ({@link CoverageRecheck}).
 */
final class ReviewDesk implements Processor<String, Verdict<Placed<ReviewOutcome>>, String, ReviewDesk.Outgoing> {

    static final String NAME = "apply-review";
    /** How often the outcomes waiting for their request are looked at (wall-clock time). */
    private static final Duration AWAIT_CHECK = Duration.ofSeconds(1);

    /** A final decision, a pending decision gone overdue, or an outcome that cannot be applied, as its dead letter. */
    record Outgoing(RoutingDecision decision, boolean overdue, DeadLetter deadLetter) {

        static Outgoing finalDecision(final RoutingDecision decision) {
            return new Outgoing(decision, false, null);
        }

        static Outgoing overdue(final RoutingDecision pending) {
            return new Outgoing(pending, true, null);
        }

        static Outgoing rejected(final DeadLetter deadLetter) {
            return new Outgoing(null, false, deadLetter);
        }

        /** An outcome applied without a decision to write: a proposal held or returned (the status says so). */
        static final Outgoing NOTHING = new Outgoing(null, false, null);

        boolean isRejected() {
            return deadLetter != null;
        }

        boolean isNothing() {
            return decision == null && deadLetter == null;
        }
    }

    private static final StringSerializer KEYS = new StringSerializer();

    private final RouterConfig config;
    private final RequestProgress progress;
    private Clock clock;
    private CoverageStore coverage;
    private DecisionListener listener;
    private ProcessorContext<String, Outgoing> context;
    private KeyValueStore<String, RequestStatus> statusById;
    private KeyValueStore<String, Decided> pendingById;
    private KeyValueStore<String, AwaitingOutcome> awaiting;
    private RequestProgress.Task requests;
    private OutcomeSignature signature;
    private FourEyes fourEyes;
    private long startedAt;

    /** Makes the dead letter of the outcome at hand, for a reason. */
    @FunctionalInterface
    private interface Rejecter {
        DeadLetter deadLetter(DeadLetterReason reason, String message);
    }

    ReviewDesk(final RouterConfig config, final RequestProgress progress) {
        this.config = config;
        this.progress = progress;
    }

    @Override
    public void init(final ProcessorContext<String, Outgoing> context) {
        this.context = context;
        final RouterContext router = RouterContext.from(context.appConfigs());
        this.clock = router.clock();
        this.listener = router.decisions();
        this.coverage = context.getStateStore(RouterTopology.COVERAGE_STORE);
        this.statusById = context.getStateStore(RouterTopology.REQUEST_STATUS_STORE);
        this.pendingById = context.getStateStore(RouterTopology.PENDING_REVIEWS_STORE);
        this.awaiting = context.getStateStore(RouterTopology.AWAITING_REQUEST_STORE);
        this.requests = progress.of(context.taskId());
        this.signature = config.outcomeSignature();
        this.fourEyes = config.fourEyes();
        this.startedAt = context.currentSystemTimeMs();
        final Duration check = config.reviewCheckInterval();
        context.schedule(check, PunctuationType.WALL_CLOCK_TIME, now -> writeOverdue(Instant.ofEpochMilli(now)));
        final Duration retentionCheck = max(check, min(config.requestRetention().dividedBy(10), Duration.ofHours(1)));
        context.schedule(retentionCheck, PunctuationType.WALL_CLOCK_TIME, now -> forgetExpired(Instant.ofEpochMilli(now)));
        context.schedule(AWAIT_CHECK, PunctuationType.WALL_CLOCK_TIME, this::settleAwaiting);
        final CoverageRecheck recheck = new CoverageRecheck(new org.mlarouter.policy.RoutingPolicy(config.homeState(), clock, config.homeZone()),
                coverage, pendingById, statusById, listener, clock);
        context.schedule(AWAIT_CHECK, PunctuationType.WALL_CLOCK_TIME, now -> recheck.run());
    }

    @Override
    public void process(final Record<String, Verdict<Placed<ReviewOutcome>>> record) {
        final Placed<ReviewOutcome> placed = record.value().value(); // decoded: only passed verdicts reach the desk
        final ReviewOutcome outcome = placed.value();
        if (!signature.verifies(placed.original(), record.headers())) {
            final DeadLetter unsigned = DeadLetter.of(placed.key(), placed.original(), context.recordMetadata(), record.headers(),
                    DeadLetterReason.UNSIGNED_OUTCOME, "The outcome has no valid " + OutcomeSignature.HEADER
                            + " header: only the router writes review outcomes, for a signed-in reviewer", null, NAME);
            context.forward(record.withKey(outcome.getRequestId()).withValue(Outgoing.rejected(unsigned)));
            return;
        }
        if (statusById.get(outcome.getRequestId()) == null || !coverageCurrent(outcome.getRequestId()) || waiting(outcome.getRequestId())) {
            // Its request may not be decided yet (read again after a reset, or moved to its id's partition), or the
            // coverage its outcome is checked against is being replaced, or an earlier outcome for it waits: it waits.
            final AwaitingOutcome waiting = AwaitingOutcome.of(outcome, record.timestamp(), context.currentSystemTimeMs(), placed.key(),
                    placed.original(), record.headers(), context.recordMetadata());
            awaiting.put(waiting.storeKey(), waiting);
            return;
        }
        final Outgoing outgoing = apply(outcome, (reason, message) -> DeadLetter.of(placed.key(), placed.original(), context.recordMetadata(),
                record.headers(), reason, message, null, NAME));
        if (!outgoing.isNothing()) {
            context.forward(record.withKey(outcome.getRequestId()).withValue(outgoing));
        }
    }

    /** Whether an earlier outcome for the request waits (the outcomes of one request are applied in order). */
    private boolean waiting(final String requestId) {
        try (KeyValueIterator<String, AwaitingOutcome> earlier = awaiting.prefixScan(requestId + '\u0000', KEYS)) {
            return earlier.hasNext();
        }
    }

    /**
     * What an outcome makes of its (decided) request, by the review rules: the final decision, a proposal held for
     * confirmation (nothing written but the status), a proposal returned, or its dead letter when it cannot be applied.
     */
    private Outgoing apply(final ReviewOutcome outcome, final Rejecter reject) {
        final String requestId = outcome.getRequestId();
        final RequestStatus status = statusById.get(requestId);
        final Decided stored = pendingById.get(requestId);
        final RoutingDecision pending = stored == null ? null : stored.decision();
        final RequestStatus.ProposalEntry held = status.proposal();
        final String counterpart = pending == null ? status.counterpartState() : pending.getCounterpartState();
        final ReviewRules.Judgement judgement = ReviewRules.judge(status.pendingReview() && pending != null,
                held == null ? null : new ReviewRules.Proposal(held.decision(), held.reviewer()), outcome.getKind(),
                outcome.getDecision() == null ? null : outcome.getDecision().name(), outcome.getReviewer(), outcome.getGrounds(),
                outcome.getLegalBasis(), counterpart, ReviewRules.instrumentIds(coverage.inForce(counterpart)), fourEyes);
        if (judgement.rejected()) {
            final DeadLetterReason reason = DeadLetterReason.valueOf(judgement.reason());
            final String message = reason == DeadLetterReason.NOT_PENDING_REVIEW && !status.pendingReview()
                    ? "The request is not pending review: its status is " + status.status() + (status.review() != null ? ", after a review" : "")
                    : "The outcome cannot be applied: " + judgement.message();
            return Outgoing.rejected(reject.deadLetter(reason, message));
        }
        switch (judgement.effect()) {
            case PROPOSED:
                statusById.put(requestId, status.withProposal(new RequestStatus.ProposalEntry(outcome.getDecision().name(),
                        outcome.getReviewer().trim(), outcome.getGrounds(), ReviewRules.legalBasis(outcome.getLegalBasis()),
                        outcome.getReviewedAt().toEpochMilli())));
                return Outgoing.NOTHING;
            case RETURNED:
                statusById.put(requestId, status.withProposal(null));
                return Outgoing.NOTHING;
            default:
                break;
        }
        final Review review = held == null
                ? new Review(outcome.getDecision(), outcome.getReviewer(), outcome.getGrounds(), outcome.getReviewedAt(), pending.getDecidedAt(),
                        null, null)
                : new Review(Route.valueOf(held.decision()), held.reviewer(), held.grounds(), Instant.ofEpochMilli(held.reviewedAt()),
                        pending.getDecidedAt(), outcome.getReviewer().trim(), outcome.getReviewedAt());
        final String legalBasis = held == null ? ReviewRules.legalBasis(outcome.getLegalBasis()) : held.legalBasis();
        final RoutingDecision decision = RoutingDecision.newBuilder(pending)
                .setRoute(review.getDecision())
                .setLegalBasis(legalBasis != null ? legalBasis : pending.getLegalBasis())
                .setDecidedAt(clock.instant())
                .setReview(review)
                .build();
        statusById.put(requestId, status.reviewed(decision));
        pendingById.delete(requestId);
        return Outgoing.finalDecision(decision);
    }

    /**
     * Applies each waiting outcome whose request is now decided, and dead-letters as {@code UNKNOWN_REQUEST} each whose
     * request will not come: the task has read requests sent {@code mla.review.await.request} after the outcome, or has
     * read no request for that long since the outcome began to wait (or since the task started).
     */
    private void settleAwaiting(final long now) {
        final List<KeyValue<String, AwaitingOutcome>> entries = new ArrayList<>();
        try (KeyValueIterator<String, AwaitingOutcome> all = awaiting.all()) {
            all.forEachRemaining(entries::add);
        }
        final long wait = config.reviewAwaitRequest().toMillis();
        for (final KeyValue<String, AwaitingOutcome> entry : entries) {
            final AwaitingOutcome waiting = entry.value;
            final Rejecter reject = (reason, message) -> DeadLetter.of(waiting.key(), waiting.value(), waiting.source(),
                    waiting.originalHeaders(), reason, message, null, NAME);
            final Outgoing outgoing;
            if (statusById.get(waiting.requestId()) != null) {
                if (!coverageCurrent(waiting.requestId())) {
                    continue;
                }
                outgoing = apply(waiting.decoded(), reject);
            } else if (requests.latestTimestamp() >= waiting.timestamp() + wait
                    || now - Math.max(Math.max(waiting.since(), startedAt), requests.lastReadAt()) >= wait) {
                outgoing = Outgoing.rejected(reject.deadLetter(DeadLetterReason.UNKNOWN_REQUEST, "No request with this requestId was decided"));
            } else {
                continue;
            }
            awaiting.delete(entry.key);
            if (!outgoing.isNothing()) {
                context.forward(new Record<>(waiting.requestId(), outgoing, waiting.timestamp(), waiting.originalHeaders()));
            }
        }
    }

    /** Whether the coverage of a pending request's counterpart is current (true when nothing is pending). */
    private boolean coverageCurrent(final String requestId) {
        final Decided pending = pendingById.get(requestId);
        return pending == null || coverage.current(pending.decision().getCounterpartState());
    }

    private void writeOverdue(final Instant now) {
        final List<KeyValue<String, RoutingDecision>> due = new ArrayList<>();
        try (KeyValueIterator<String, Decided> pending = pendingById.all()) {
            while (pending.hasNext()) {
                final KeyValue<String, Decided> entry = pending.next();
                final RoutingDecision decision = entry.value.decision();
                final Duration deadline = config.reviewDeadline(decision.getRequest().getUrgency());
                if (!decision.getDecidedAt().plus(deadline).isAfter(now)) {
                    due.add(KeyValue.pair(entry.key, decision));
                }
            }
        }
        for (final KeyValue<String, RoutingDecision> entry : due) {
            final RequestStatus status = statusById.get(entry.key);
            if (status != null && !status.overdue()) {
                statusById.put(entry.key, status.markedOverdue());
                listener.onOverdue(entry.value);
                context.forward(new Record<>(entry.key, Outgoing.overdue(entry.value), now.toEpochMilli()));
            }
        }
    }

    private void forgetExpired(final Instant now) {
        final Duration retention = config.requestRetention();
        final List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, RequestStatus> statuses = statusById.all()) {
            while (statuses.hasNext()) {
                final KeyValue<String, RequestStatus> entry = statuses.next();
                if (entry.value.expired(now, retention)) {
                    expired.add(entry.key);
                }
            }
        }
        for (final String requestId : expired) {
            statusById.delete(requestId);
            pendingById.delete(requestId);
        }
    }

    private static Duration max(final Duration a, final Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static Duration min(final Duration a, final Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
