package org.mlarouter.policy;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;

import org.mlarouter.avro.AssistanceRequest;
import org.mlarouter.avro.ReasonCode;
import org.mlarouter.avro.RoutingDecision;
import org.mlarouter.avro.TreatyCoverage;

/**
 * The routing rules of docs/contract.md: one request and the treaty coverage of its counterpart state in, one decision out.
 *
 * <p>Every rule that applies adds a reason, so a decision lists all of them, not only the first; the route is the
 * most severe of them (see {@link Severity}). The legal basis is the in-force instrument that covers the kind, every
 * requested measure and the offence, a bilateral treaty preferred over a convention; it is named whenever one exists,
 * even if other grounds send the request to review. Reason details name codes, instruments and states, never a
 * person: the subjects of a request are personal data.
 *
 * <p>The rules live by concern: {@link Completeness} (rules 1 and 2), {@link LegalBasis} (4, 5, 6 and the basis of
 * 10), {@link Grounds} (7 and 8) and {@link TransferConditions} (9); this class applies them in order and builds the
 * decision. It knows nothing of Kafka, and is immutable and thread-safe.
 */
public final class RoutingPolicy {

    private final String homeState;
    private final Completeness completeness;
    private final Clock clock;
    private final ZoneId homeZone;

    /** A policy whose days are those of {@link #DEFAULT_ZONE}. */
    public RoutingPolicy(final String homeState, final Clock clock) {
        this(homeState, clock, DEFAULT_ZONE);
    }

    /** The home state's time zone when none is configured ({@code mla.home.zone}'s default). */
    public static final ZoneId DEFAULT_ZONE = ZoneId.of("Asia/Almaty");

    /**
     * @param homeState the ISO alpha-2 code of the state this router works for (KZ by default)
     * @param clock     the source of {@code decidedAt}
     * @param homeZone  the home state's time zone: the decision's day, on which instruments' dates are read, is its day there
     */
    public RoutingPolicy(final String homeState, final Clock clock, final ZoneId homeZone) {
        if (!StateCodes.isAssigned(homeState)) {
            throw new IllegalArgumentException("home state must be an ISO 3166-1 alpha-2 code assigned to a country, got '" + homeState + "'");
        }
        this.homeState = homeState;
        this.completeness = new Completeness(homeState);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.homeZone = Objects.requireNonNull(homeZone, "homeZone");
    }

    public ZoneId homeZone() {
        return homeZone;
    }

    public String homeState() {
        return homeState;
    }

    /**
     * The counterpart state whose coverage the request needs: present only when both state codes are well formed and
     * exactly one of them is the home state.
     */
    public Optional<String> counterpartOf(final AssistanceRequest request) {
        return completeness.counterpartOf(request);
    }

    /**
     * Decides one request.
     *
     * @param request  the request; never null
     * @param coverage the coverage record of the request's counterpart, or null when there is none
     * @return the decision, carrying the full request
     */
    public RoutingDecision decide(final AssistanceRequest request, final TreatyCoverage coverage) {
        Objects.requireNonNull(request, "request");
        final Instant now = clock.instant();
        final Reasons reasons = new Reasons();
        final Optional<String> counterpart = counterpartOf(request);

        Completeness.checkComplete(request, reasons);
        completeness.checkHomeState(request, reasons);

        LegalBasis.Assessment assessment = LegalBasis.Assessment.NONE;
        Long coverageRevision = null;
        if (counterpart.isPresent()) {
            if (coverage == null || !counterpart.get().equals(coverage.getCounterpartState())) {
                reasons.add(ReasonCode.NO_TREATY_DATA, "No treaty coverage is recorded for " + counterpart.get()
                        + "; a person decides whether to proceed on reciprocity");
            } else {
                coverageRevision = coverage.getRevision();
                assessment = LegalBasis.assess(request, coverage, LocalDate.ofInstant(now, homeZone), reasons);
            }
        }

        Grounds.checkGrounds(request, reasons);
        TransferConditions.checkTransferConditions(request, assessment.consulted, reasons);

        if (reasons.isEmpty()) {
            reasons.add(ReasonCode.COVERED, "Covered by " + assessment.basis.getId() + " (" + assessment.basis.getTitle() + ")");
        }
        // The all-arguments constructor, not the builder: the builder validates and copies default values for every
        // field, which a profile showed as a good part of the policy's cost. The required fields are checked here.
        return new RoutingDecision(
                Objects.requireNonNull(request.getRequestId(), "requestId"),
                Severity.mostSevere(reasons.codes()),
                Objects.requireNonNull(counterpart.orElseGet(() -> completeness.nominalCounterpart(request)), "counterpartState"),
                assessment.basis == null ? null : assessment.basis.getId(),
                reasons.list(),
                coverageRevision,
                now,
                request,
                null);
    }
}
