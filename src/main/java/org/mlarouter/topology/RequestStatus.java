package org.mlarouter.topology;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.common.serialization.Serde;
import org.mlarouter.avro.store.RequestStatusRecord;
import org.mlarouter.avro.Reason;
import org.mlarouter.avro.RoutingDecision;

/**
 * Where one request stands, as the router keeps it in its request-status store (keyed by {@code requestId}): its
 * first decision, the review outcome that ended it if any, whether its review went overdue, and each decision in
 * order. No personal data: no subjects, no offence description, no free text of the request. Kept for
 * {@code mla.request.retention} after the first decision, then forgotten. Stored as an Avro record of its own
 * ({@link RequestStatusRecord}, see {@link #serde()}); what earlier releases stored is still read.
 *
 * @param status      the current route: NEEDS_REVIEW while pending, else ACCEPTED or REFUSED
 * @param firstDecidedAt when the router decided it (epoch milliseconds); retention counts from here
 */
public record RequestStatus(String requestId, String status, String counterpartState, String kind, String urgency,
                            List<ReasonEntry> reasons, String legalBasis, Long coverageRevision, long firstDecidedAt,
                            long decidedAt, ReviewEntry review, boolean overdue, List<HistoryEntry> history, ProposalEntry proposal,
                            String requestingAuthority, byte[] dataKey, boolean personalDataErased, CoverageChange coverageChanged) {

    /** As before pending requests were decided again on new coverage. */
    public RequestStatus(final String requestId, final String status, final String counterpartState, final String kind, final String urgency,
                         final List<ReasonEntry> reasons, final String legalBasis, final Long coverageRevision, final long firstDecidedAt,
                         final long decidedAt, final ReviewEntry review, final boolean overdue, final List<HistoryEntry> history,
                         final ProposalEntry proposal, final String requestingAuthority, final byte[] dataKey, final boolean personalDataErased) {
        this(requestId, status, counterpartState, kind, urgency, reasons, legalBasis, coverageRevision, firstDecidedAt, decidedAt, review,
                overdue, history, proposal, requestingAuthority, dataKey, personalDataErased, null);
    }

    /** As before the data key was kept (plain mode, and earlier releases' statuses). */
    public RequestStatus(final String requestId, final String status, final String counterpartState, final String kind, final String urgency,
                         final List<ReasonEntry> reasons, final String legalBasis, final Long coverageRevision, final long firstDecidedAt,
                         final long decidedAt, final ReviewEntry review, final boolean overdue, final List<HistoryEntry> history,
                         final ProposalEntry proposal, final String requestingAuthority) {
        this(requestId, status, counterpartState, kind, urgency, reasons, legalBasis, coverageRevision, firstDecidedAt, decidedAt, review,
                overdue, history, proposal, requestingAuthority, null, false);
    }

    /** As before the requesting authority was kept (earlier releases' statuses have none). */
    public RequestStatus(final String requestId, final String status, final String counterpartState, final String kind, final String urgency,
                         final List<ReasonEntry> reasons, final String legalBasis, final Long coverageRevision, final long firstDecidedAt,
                         final long decidedAt, final ReviewEntry review, final boolean overdue, final List<HistoryEntry> history,
                         final ProposalEntry proposal) {
        this(requestId, status, counterpartState, kind, urgency, reasons, legalBasis, coverageRevision, firstDecidedAt, decidedAt, review,
                overdue, history, proposal, null);
    }

    /** Equal field by field, the data key by its bytes. */
    @Override
    public boolean equals(final Object other) {
        return other instanceof RequestStatus that && firstDecidedAt == that.firstDecidedAt && decidedAt == that.decidedAt
                && overdue == that.overdue && personalDataErased == that.personalDataErased && java.util.Objects.equals(requestId, that.requestId)
                && java.util.Objects.equals(status, that.status) && java.util.Objects.equals(counterpartState, that.counterpartState)
                && java.util.Objects.equals(kind, that.kind) && java.util.Objects.equals(urgency, that.urgency)
                && java.util.Objects.equals(reasons, that.reasons) && java.util.Objects.equals(legalBasis, that.legalBasis)
                && java.util.Objects.equals(coverageRevision, that.coverageRevision) && java.util.Objects.equals(review, that.review)
                && java.util.Objects.equals(history, that.history) && java.util.Objects.equals(proposal, that.proposal)
                && java.util.Objects.equals(requestingAuthority, that.requestingAuthority) && java.util.Arrays.equals(dataKey, that.dataKey)
                && java.util.Objects.equals(coverageChanged, that.coverageChanged);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(requestId, status, decidedAt, java.util.Arrays.hashCode(dataKey));
    }

    /** One reason of the router's decision. */
    public record ReasonEntry(String code, String detail) {
    }

    /** The review outcome applied; {@code confirmedBy} and {@code confirmedAt} when a second supervisor confirmed it. */
    public record ReviewEntry(String decision, String reviewer, String grounds, long reviewedAt, long pendingSince, String confirmedBy,
                              Long confirmedAt) {

        public ReviewEntry(final String decision, final String reviewer, final String grounds, final long reviewedAt, final long pendingSince) {
            this(decision, reviewer, grounds, reviewedAt, pendingSince, null, null);
        }
    }

    /** A reviewer's outcome held for a second supervisor's confirmation (four-eyes). */
    public record ProposalEntry(String decision, String reviewer, String grounds, String legalBasis, long reviewedAt) {
    }

    /**
     * The decision new coverage would give a request pending review, when it differs from the one shown (docs/contract.md,
     * "Coverage over time"): route, reasons and legal basis, the coverage revision, and since when that coverage applies.
     */
    public record CoverageChange(String route, List<ReasonEntry> reasons, String legalBasis, Long coverageRevision, long since) {

        /** The new decision as a coverage change applying since {@code since}. */
        public static CoverageChange of(final RoutingDecision decision, final Instant since) {
            return new CoverageChange(decision.getRoute().name(), reasonsOf(decision), decision.getLegalBasis(), decision.getCoverageRevision(),
                    since.toEpochMilli());
        }

        /** Whether {@code decision} decides as this does: the same route, reason codes and legal basis. */
        public boolean says(final RoutingDecision decision) {
            return route.equals(decision.getRoute().name()) && java.util.Objects.equals(legalBasis, decision.getLegalBasis())
                    && sameCodes(reasons, decision);
        }
    }

    /**
     * Whether {@code decision} decides as this status's decision did: the same route, reason codes and legal basis. A reason
     * whose detail alone changed (an instrument now ratified, still not in force) is the same decision.
     */
    public boolean says(final RoutingDecision decision) {
        return status.equals(decision.getRoute().name()) && java.util.Objects.equals(legalBasis, decision.getLegalBasis())
                && sameCodes(reasons, decision);
    }

    private static boolean sameCodes(final List<ReasonEntry> reasons, final RoutingDecision decision) {
        if (reasons.size() != decision.getReasons().size()) {
            return false;
        }
        for (int i = 0; i < reasons.size(); i++) {
            if (!decision.getReasons().get(i).getCode().name().equals(reasons.get(i).code())) {
                return false;
            }
        }
        return true;
    }

    private static List<ReasonEntry> reasonsOf(final RoutingDecision decision) {
        final List<ReasonEntry> reasons = new ArrayList<>(decision.getReasons().size());
        for (final Reason reason : decision.getReasons()) {
            reasons.add(new ReasonEntry(reason.getCode().name(), reason.getDetail()));
        }
        return List.copyOf(reasons);
    }

    /** The status a request held for confirmation shows (its stored route stays NEEDS_REVIEW). */
    public static final String AWAITING_CONFIRMATION = "AWAITING_CONFIRMATION";

    /** One decision of the request: its route, when, and who reviewed it (null for the router's own). */
    public record HistoryEntry(String route, long decidedAt, String reviewer) {
    }

    private static final ObjectMapper JSON = org.mlarouter.json.Json.MAPPER;

    /** The status after the router's first decision; {@code dataKey} its request's wrapped data key (encrypted mode), else null. */
    public static RequestStatus firstDecision(final RoutingDecision decision, final byte[] dataKey) {
        final List<ReasonEntry> reasons = reasonsOf(decision);
        final long decidedAt = decision.getDecidedAt().toEpochMilli();
        return new RequestStatus(decision.getRequestId(), decision.getRoute().name(), decision.getCounterpartState(),
                decision.getRequest().getKind().name(), decision.getRequest().getUrgency().name(), reasons,
                decision.getLegalBasis(), decision.getCoverageRevision(), decidedAt, decidedAt, null, false,
                List.of(new HistoryEntry(decision.getRoute().name(), decidedAt, null)), null, decision.getRequest().getRequestingAuthority(),
                dataKey, false);
    }

    /** The status once a review outcome produced {@code finalDecision}. */
    public RequestStatus reviewed(final RoutingDecision finalDecision) {
        final org.mlarouter.avro.Review review = finalDecision.getReview();
        final List<HistoryEntry> after = new ArrayList<>(history);
        final long decided = finalDecision.getDecidedAt().toEpochMilli();
        after.add(new HistoryEntry(finalDecision.getRoute().name(), decided, review.getReviewer()));
        return new RequestStatus(requestId, finalDecision.getRoute().name(), counterpartState, kind, urgency, reasons,
                finalDecision.getLegalBasis(), coverageRevision, firstDecidedAt, decided,
                new ReviewEntry(review.getDecision().name(), review.getReviewer(), review.getGrounds(),
                        review.getReviewedAt().toEpochMilli(), review.getPendingSince().toEpochMilli(), review.getConfirmedBy(),
                        review.getConfirmedAt() == null ? null : review.getConfirmedAt().toEpochMilli()),
                overdue, List.copyOf(after), null, requestingAuthority, dataKey, personalDataErased, null);
    }

    /** The status with a reviewer's outcome held for confirmation, or with none ({@code null}: returned). */
    public RequestStatus withProposal(final ProposalEntry held) {
        return new RequestStatus(requestId, status, counterpartState, kind, urgency, reasons, legalBasis, coverageRevision,
                firstDecidedAt, decidedAt, review, overdue, history, held, requestingAuthority, dataKey, personalDataErased, coverageChanged);
    }

    /** The status with its review marked overdue. */
    public RequestStatus markedOverdue() {
        return new RequestStatus(requestId, status, counterpartState, kind, urgency, reasons, legalBasis, coverageRevision,
                firstDecidedAt, decidedAt, review, true, history, proposal, requestingAuthority, dataKey, personalDataErased, coverageChanged);
    }

    /** The status holding its request's wrapped data key (one decided before the router kept it here). */
    public RequestStatus withDataKey(final byte[] wrapped) {
        return new RequestStatus(requestId, status, counterpartState, kind, urgency, reasons, legalBasis, coverageRevision,
                firstDecidedAt, decidedAt, review, overdue, history, proposal, requestingAuthority, wrapped, personalDataErased, coverageChanged);
    }

    /** The status once its request's personal data is erased: no data key, and saying so. */
    public RequestStatus erased() {
        return new RequestStatus(requestId, status, counterpartState, kind, urgency, reasons, legalBasis, coverageRevision,
                firstDecidedAt, decidedAt, review, overdue, history, proposal, requestingAuthority, null, true, coverageChanged);
    }

    /**
     * The status of a request pending review with the decision new coverage would give it, or with none ({@code null}: the
     * coverage gives again the decision shown).
     */
    public RequestStatus withCoverageChanged(final CoverageChange change) {
        return new RequestStatus(requestId, status, counterpartState, kind, urgency, reasons, legalBasis, coverageRevision,
                firstDecidedAt, decidedAt, review, overdue, history, proposal, requestingAuthority, dataKey, personalDataErased, change);
    }

    /** Whether the request waits for a reviewer's outcome or for a proposal's confirmation: its review has not ended. */
    public boolean pendingReview() {
        return "NEEDS_REVIEW".equals(status) && review == null;
    }

    /** Whether a reviewer's proposal waits for a second supervisor. */
    public boolean awaitingConfirmation() {
        return pendingReview() && proposal != null;
    }

    /** The status as the answer names it: AWAITING_CONFIRMATION while a proposal is held, else the route. */
    public String shownStatus() {
        return awaitingConfirmation() ? AWAITING_CONFIRMATION : status;
    }

    /** Whether its retention has passed at {@code now}. */
    public boolean expired(final Instant now, final java.time.Duration retention) {
        return firstDecidedAt + retention.toMillis() <= now.toEpochMilli();
    }

    /** The JSON of the status answer (docs/contract.md), with ISO-8601 times. */
    public com.fasterxml.jackson.databind.node.ObjectNode toJson() {
        final com.fasterxml.jackson.databind.node.ObjectNode answer = JSON.createObjectNode();
        answer.put("requestId", requestId).put("status", shownStatus()).put("route", status);
        final com.fasterxml.jackson.databind.node.ArrayNode reasonList = answer.putArray("reasons");
        reasons.forEach(reason -> reasonList.addObject().put("code", reason.code()).put("detail", reason.detail()));
        answer.put("legalBasis", legalBasis);
        if (coverageRevision == null) {
            answer.putNull("coverageRevision");
        } else {
            answer.put("coverageRevision", coverageRevision);
        }
        answer.put("decidedAt", Instant.ofEpochMilli(decidedAt).toString())
                .put("counterpartState", counterpartState).put("kind", kind).put("urgency", urgency)
                .put("requestingAuthority", requestingAuthority);
        if (review == null) {
            answer.putNull("review");
        } else {
            answer.putObject("review").put("decision", review.decision()).put("reviewer", review.reviewer())
                    .put("grounds", review.grounds()).put("reviewedAt", Instant.ofEpochMilli(review.reviewedAt()).toString())
                    .put("pendingSince", Instant.ofEpochMilli(review.pendingSince()).toString())
                    .put("confirmedBy", review.confirmedBy())
                    .put("confirmedAt", review.confirmedAt() == null ? null : Instant.ofEpochMilli(review.confirmedAt()).toString());
        }
        if (proposal == null) {
            answer.putNull("proposal");
        } else {
            answer.putObject("proposal").put("decision", proposal.decision()).put("reviewer", proposal.reviewer())
                    .put("grounds", proposal.grounds()).put("legalBasis", proposal.legalBasis())
                    .put("reviewedAt", Instant.ofEpochMilli(proposal.reviewedAt()).toString());
        }
        answer.put("overdue", overdue);
        if (coverageChanged == null) {
            answer.putNull("coverageChanged");
        } else {
            final com.fasterxml.jackson.databind.node.ObjectNode change = answer.putObject("coverageChanged").put("route", coverageChanged.route());
            final com.fasterxml.jackson.databind.node.ArrayNode changedReasons = change.putArray("reasons");
            coverageChanged.reasons().forEach(reason -> changedReasons.addObject().put("code", reason.code()).put("detail", reason.detail()));
            change.put("legalBasis", coverageChanged.legalBasis());
            if (coverageChanged.coverageRevision() == null) {
                change.putNull("coverageRevision");
            } else {
                change.put("coverageRevision", coverageChanged.coverageRevision());
            }
            change.put("since", Instant.ofEpochMilli(coverageChanged.since()).toString());
        }
        if (personalDataErased) {
            answer.put("personalData", "erased");
        } else if (dataKey != null) {
            answer.put("personalData", "encrypted");
        }
        final com.fasterxml.jackson.databind.node.ArrayNode historyList = answer.putArray("history");
        history.forEach(entry -> historyList.addObject().put("route", entry.route())
                .put("decidedAt", Instant.ofEpochMilli(entry.decidedAt()).toString()).put("reviewer", entry.reviewer()));
        return answer;
    }

    /** The store's serde ({@link StatusFormat}). */
    public static Serde<RequestStatus> serde() {
        return StatusFormat.serde();
    }
}
