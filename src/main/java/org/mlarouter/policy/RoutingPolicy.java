package org.mlarouter.policy;

import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.mlarouter.avro.AssistanceKind;
import org.mlarouter.avro.AssistanceRequest;
import org.mlarouter.avro.Concern;
import org.mlarouter.avro.Instrument;
import org.mlarouter.avro.InstrumentStatus;
import org.mlarouter.avro.InstrumentType;
import org.mlarouter.avro.Measure;
import org.mlarouter.avro.Offence;
import org.mlarouter.avro.Reason;
import org.mlarouter.avro.ReasonCode;
import org.mlarouter.avro.RoutingDecision;
import org.mlarouter.avro.SentencedPerson;
import org.mlarouter.avro.TreatyCoverage;

/**
 * The routing rules of CONTRACT.md: one request and the treaty coverage of its counterpart state in, one decision out.
 *
 * <p>Every rule that applies adds a reason, so a decision lists all of them, not only the first; the route is the
 * most severe of them (see {@link Severity}). The legal basis is the in-force instrument that covers the kind, every
 * requested measure and the offence, a bilateral treaty preferred over a convention; it is named whenever one exists,
 * even if other grounds send the request to review. Reason details name codes, instruments and states, never a
 * person: the subjects of a request are personal data.
 *
 * <p>This class knows nothing of Kafka. It is immutable and thread-safe.
 */
public final class RoutingPolicy {

    private static final Set<InstrumentStatus> ACTIVE =
            EnumSet.of(InstrumentStatus.SIGNED, InstrumentStatus.RATIFIED, InstrumentStatus.IN_FORCE);

    private final String homeState;
    private final Clock clock;

    /**
     * @param homeState the ISO alpha-2 code of the state this router works for (KZ by default)
     * @param clock     the source of {@code decidedAt}
     */
    public RoutingPolicy(final String homeState, final Clock clock) {
        if (!StateCodes.isAlpha2(homeState)) {
            throw new IllegalArgumentException("home state must be an ISO 3166-1 alpha-2 code, got '" + homeState + "'");
        }
        this.homeState = homeState;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public String homeState() {
        return homeState;
    }

    /**
     * The counterpart state whose coverage the request needs: present only when both state codes are well formed and
     * exactly one of them is the home state.
     */
    public Optional<String> counterpartOf(final AssistanceRequest request) {
        final String requesting = request.getRequestingState();
        final String requested = request.getRequestedState();
        if (!StateCodes.isAlpha2(requesting) || !StateCodes.isAlpha2(requested)) {
            return Optional.empty();
        }
        final boolean homeAsks = requesting.equals(homeState);
        final boolean homeIsAsked = requested.equals(homeState);
        if (homeAsks == homeIsAsked) {
            return Optional.empty();
        }
        return Optional.of(homeAsks ? requested : requesting);
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
        final Reasons reasons = new Reasons();
        final Optional<String> counterpart = counterpartOf(request);

        checkComplete(request, reasons);
        checkHomeState(request, reasons);

        Assessment assessment = Assessment.NONE;
        Long coverageRevision = null;
        if (counterpart.isPresent()) {
            if (coverage == null || !counterpart.get().equals(coverage.getCounterpartState())) {
                reasons.add(ReasonCode.NO_TREATY_DATA, "No treaty coverage is recorded for " + counterpart.get()
                        + "; a person decides whether to proceed on reciprocity");
            } else {
                coverageRevision = coverage.getRevision();
                assessment = assess(request, coverage, reasons);
            }
        }

        checkGrounds(request, reasons);
        checkTransferConditions(request, assessment.consulted, reasons);

        if (reasons.isEmpty()) {
            reasons.add(ReasonCode.COVERED, "Covered by " + assessment.basis.getId() + " (" + assessment.basis.getTitle() + ")");
        }
        // The all-arguments constructor, not the builder: the builder validates and copies default values for every
        // field, which a profile showed as a good part of the policy's cost. The required fields are checked here.
        return new RoutingDecision(
                Objects.requireNonNull(request.getRequestId(), "requestId"),
                Severity.mostSevere(reasons.codes()),
                Objects.requireNonNull(counterpart.orElseGet(() -> nominalCounterpart(request)), "counterpartState"),
                assessment.basis == null ? null : assessment.basis.getId(),
                reasons.list(),
                coverageRevision,
                clock.instant(),
                request);
    }

    /** Rule 2: required data. */
    private static void checkComplete(final AssistanceRequest request, final Reasons reasons) {
        if (isBlank(request.getRequestId())) {
            reasons.add(ReasonCode.INCOMPLETE_REQUEST, "requestId is blank");
        }
        if (isBlank(request.getRequestingAuthority())) {
            reasons.add(ReasonCode.INCOMPLETE_REQUEST, "requestingAuthority is blank");
        }
        checkStateCode("requestingState", request.getRequestingState(), reasons);
        checkStateCode("requestedState", request.getRequestedState(), reasons);
        if (request.getKind() == AssistanceKind.MUTUAL_LEGAL_ASSISTANCE && request.getMeasures().isEmpty()) {
            reasons.add(ReasonCode.INCOMPLETE_REQUEST, "A request for mutual legal assistance names no measures");
        }
        if (request.getKind() == AssistanceKind.TRANSFER_OF_SENTENCED_PERSON && request.getSentencedPerson() == null) {
            reasons.add(ReasonCode.INCOMPLETE_REQUEST, "A transfer request carries no sentencedPerson");
        }
    }

    private static void checkStateCode(final String field, final String code, final Reasons reasons) {
        if (isBlank(code)) {
            reasons.add(ReasonCode.INCOMPLETE_REQUEST, field + " is blank");
        } else if (!StateCodes.isAlpha2(code)) {
            // The value itself is not echoed: a malformed field may hold anything, personal data included.
            reasons.add(ReasonCode.INCOMPLETE_REQUEST, field + " is not an ISO 3166-1 alpha-2 code (two upper-case letters)");
        }
    }

    /** Rule 1: exactly one party is the home state. */
    private void checkHomeState(final AssistanceRequest request, final Reasons reasons) {
        final String requesting = request.getRequestingState();
        final String requested = request.getRequestedState();
        if (!StateCodes.isAlpha2(requesting) || !StateCodes.isAlpha2(requested)) {
            return;
        }
        final boolean homeAsks = requesting.equals(homeState);
        final boolean homeIsAsked = requested.equals(homeState);
        if (homeAsks && homeIsAsked) {
            reasons.add(ReasonCode.NOT_HOME_STATE, "Both parties are the home state " + homeState);
        } else if (!homeAsks && !homeIsAsked) {
            reasons.add(ReasonCode.NOT_HOME_STATE,
                    "Neither " + requesting + " nor " + requested + " is the home state " + homeState);
        }
    }

    /** Rules 4, 5 and 6, and the choice of legal basis for rule 10. Plain loops: this runs for every request. */
    private static Assessment assess(final AssistanceRequest request, final TreatyCoverage coverage, final Reasons reasons) {
        final AssistanceKind kind = request.getKind();
        final List<Instrument> forKind = new ArrayList<>(2);
        final List<Instrument> active = new ArrayList<>(2);
        final List<Instrument> inForce = new ArrayList<>(2);
        for (final Instrument instrument : coverage.getInstruments()) {
            if (holds(instrument.getCovers(), kind)) {
                forKind.add(instrument);
                if (ACTIVE.contains(instrument.getStatus())) {
                    active.add(instrument);
                    if (instrument.getStatus() == InstrumentStatus.IN_FORCE) {
                        inForce.add(instrument);
                    }
                }
            }
        }
        if (active.isEmpty()) {
            final String party = coverage.getCounterpartName() + " (" + coverage.getCounterpartState() + ")";
            if (forKind.isEmpty()) {
                reasons.add(ReasonCode.NO_LEGAL_BASIS, "No instrument with " + party + " covers " + kind);
            } else {
                reasons.add(ReasonCode.NO_LEGAL_BASIS, "The only instruments with " + party + " covering " + kind
                        + " are not a legal basis: " + describe(forKind));
            }
            return Assessment.NONE;
        }
        if (inForce.isEmpty()) {
            final String party = coverage.getCounterpartName() + " (" + coverage.getCounterpartState() + ")";
            reasons.add(ReasonCode.TREATY_NOT_IN_FORCE, "Instruments with " + party + " cover " + kind
                    + " but none is in force: " + describe(active));
            return new Assessment(null, closest(request, active));
        }
        final Instrument closest = closest(request, inForce);
        final Set<Measure> uncovered = uncoveredMeasures(request, closest);
        final boolean offenceUncovered = !offenceCovered(request.getOffence(), closest);
        for (final Measure measure : uncovered) {
            reasons.add(ReasonCode.MEASURE_NOT_COVERED, measure + " is not among the measures of " + closest.getId()
                    + " (" + closest.getTitle() + ")");
        }
        if (offenceUncovered) {
            reasons.add(ReasonCode.OFFENCE_NOT_COVERED, "Offences of category " + request.getOffence().getCategory()
                    + " are outside " + closest.getId() + " (" + closest.getTitle() + ")");
        }
        final boolean fullyCovered = uncovered.isEmpty() && !offenceUncovered;
        return new Assessment(fullyCovered ? closest : null, closest);
    }

    /** Fewest gaps first, then a bilateral treaty before a convention, then by id so the choice is stable. */
    private static Instrument closest(final AssistanceRequest request, final List<Instrument> candidates) {
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        Instrument best = null;
        int bestGaps = Integer.MAX_VALUE;
        for (final Instrument candidate : candidates) {
            final int gaps = gaps(request, candidate);
            if (best == null || gaps < bestGaps || (gaps == bestGaps && preferredOnTie(candidate, best))) {
                best = candidate;
                bestGaps = gaps;
            }
        }
        return best;
    }

    private static boolean preferredOnTie(final Instrument candidate, final Instrument best) {
        final boolean candidateBilateral = candidate.getType() == InstrumentType.BILATERAL_TREATY;
        final boolean bestBilateral = best.getType() == InstrumentType.BILATERAL_TREATY;
        if (candidateBilateral != bestBilateral) {
            return candidateBilateral;
        }
        return candidate.getId().compareTo(best.getId()) < 0;
    }

    private static int gaps(final AssistanceRequest request, final Instrument instrument) {
        int gaps = offenceCovered(request.getOffence(), instrument) ? 0 : 1;
        if (request.getKind() == AssistanceKind.MUTUAL_LEGAL_ASSISTANCE && !instrument.getMeasures().isEmpty()) {
            for (final Measure measure : request.getMeasures()) {
                if (!holds(instrument.getMeasures(), measure)) {
                    gaps++;
                }
            }
        }
        return gaps;
    }

    /** Measures matter for mutual legal assistance only; an instrument listing none allows all. In request order. */
    private static Set<Measure> uncoveredMeasures(final AssistanceRequest request, final Instrument instrument) {
        if (request.getKind() != AssistanceKind.MUTUAL_LEGAL_ASSISTANCE || instrument.getMeasures().isEmpty()) {
            return Set.of();
        }
        Set<Measure> uncovered = Set.of();
        for (final Measure measure : request.getMeasures()) {
            if (!holds(instrument.getMeasures(), measure)) {
                if (uncovered.isEmpty()) {
                    uncovered = new LinkedHashSet<>();
                }
                uncovered.add(measure);
            }
        }
        return uncovered;
    }

    private static boolean offenceCovered(final Offence offence, final Instrument instrument) {
        return instrument.getOffenceCategories().isEmpty() || holds(instrument.getOffenceCategories(), offence.getCategory());
    }

    /** Rules 7 and 8: the mandatory and the discretionary grounds for refusal. */
    private static void checkGrounds(final AssistanceRequest request, final Reasons reasons) {
        final Offence offence = request.getOffence();
        if (offence.getPoliticalOffence()) {
            reasons.add(ReasonCode.DISCRETIONARY_GROUND, "The offence is a political offence");
        }
        if (offence.getMilitaryOffence()) {
            reasons.add(ReasonCode.DISCRETIONARY_GROUND, "The offence is a purely military offence");
        }
        final EnumSet<Concern> seen = EnumSet.noneOf(Concern.class);
        for (final Concern concern : request.getConcerns()) {
            if (!seen.add(concern)) {
                continue;
            }
            switch (concern) {
                case PERSECUTION_RISK:
                    reasons.add(ReasonCode.PERSECUTION_RISK, "There is reason to believe the person is prosecuted because"
                            + " of race, gender, religion, nationality or political beliefs");
                    break;
                case SOVEREIGNTY_OR_SECURITY:
                    reasons.add(ReasonCode.DISCRETIONARY_GROUND, "The request may damage sovereignty or security");
                    break;
                case PUBLIC_ORDER:
                    reasons.add(ReasonCode.DISCRETIONARY_GROUND, "The request may damage public order");
                    break;
                case CONTRARY_TO_NATIONAL_LAW:
                    reasons.add(ReasonCode.DISCRETIONARY_GROUND, "The request is contrary to national law");
                    break;
                case DOUBLE_JEOPARDY:
                    reasons.add(ReasonCode.DISCRETIONARY_GROUND, "The person was already tried for the same act");
                    break;
                default:
                    reasons.add(ReasonCode.DISCRETIONARY_GROUND, "Concern raised: " + concern);
            }
        }
    }

    /** Rule 9: each unmet condition of a transfer of a sentenced person is a reason of its own. */
    private static void checkTransferConditions(final AssistanceRequest request, final Instrument consulted,
                                                final Reasons reasons) {
        final SentencedPerson person = request.getSentencedPerson();
        if (request.getKind() != AssistanceKind.TRANSFER_OF_SENTENCED_PERSON || person == null) {
            return;
        }
        final String nationality = person.getNationality();
        if (!Objects.equals(nationality, request.getRequestingState()) && !Objects.equals(nationality, request.getRequestedState())) {
            reasons.add(ReasonCode.TRANSFER_CONDITION_NOT_MET, "The sentenced person is a national of neither party");
        }
        final Integer minimumDays = consulted == null ? null : consulted.getMinRemainingSentenceDays();
        if (minimumDays != null && person.getRemainingSentenceDays() < minimumDays) {
            reasons.add(ReasonCode.TRANSFER_CONDITION_NOT_MET, person.getRemainingSentenceDays() + " days of the sentence"
                    + " remain; " + consulted.getId() + " requires at least " + minimumDays);
        }
        if (!person.getFinalJudgment()) {
            reasons.add(ReasonCode.TRANSFER_CONDITION_NOT_MET, "The judgment is not final");
        }
        if (!person.getConsentDeclared()) {
            reasons.add(ReasonCode.TRANSFER_CONDITION_NOT_MET, "The sentenced person has not declared consent to the transfer");
        }
        if (!request.getOffence().getDualCriminality()) {
            reasons.add(ReasonCode.TRANSFER_CONDITION_NOT_MET, "The act is not a crime in both states");
        }
        if (person.getProceedingsPending()) {
            reasons.add(ReasonCode.TRANSFER_CONDITION_NOT_MET, "A trial or an investigation is still under way");
        }
        if (person.getFinancialObligationsOutstanding()) {
            reasons.add(ReasonCode.TRANSFER_CONDITION_NOT_MET, "The sentenced person has outstanding financial obligations");
        }
    }

    /** The state named as counterpart when there is no proper one: the party that is not home, else the requester. */
    private String nominalCounterpart(final AssistanceRequest request) {
        final String requesting = request.getRequestingState();
        return homeState.equals(requesting) ? request.getRequestedState() : requesting;
    }

    private static String describe(final List<Instrument> instruments) {
        return instruments.stream()
                .map(instrument -> instrument.getId() + " (" + instrument.getStatus() + ")")
                .collect(Collectors.joining(", "));
    }

    /**
     * Whether a short list of enum symbols holds one. Decoded Avro lists inherit {@code contains} from
     * {@code AbstractCollection}, an iterator per call; on the hot path an indexed loop is several times cheaper.
     */
    private static <E extends Enum<E>> boolean holds(final List<E> symbols, final E symbol) {
        for (int i = 0; i < symbols.size(); i++) {
            if (symbols.get(i) == symbol) {
                return true;
            }
        }
        return false;
    }

    private static boolean isBlank(final String value) {
        return value == null || value.isBlank();
    }

    /** What the coverage offers a request: the instrument relied on (if any) and the one whose conditions apply. */
    private static final class Assessment {
        static final Assessment NONE = new Assessment(null, null);
        final Instrument basis;
        final Instrument consulted;

        Assessment(final Instrument basis, final Instrument consulted) {
            this.basis = basis;
            this.consulted = consulted;
        }
    }

    /** The reasons gathered so far, in the order the rules found them. */
    private static final class Reasons {
        private final List<Reason> reasons = new ArrayList<>();

        void add(final ReasonCode code, final String detail) {
            reasons.add(new Reason(code, detail));
        }

        boolean isEmpty() {
            return reasons.isEmpty();
        }

        List<ReasonCode> codes() {
            final List<ReasonCode> codes = new ArrayList<>(reasons.size());
            for (final Reason reason : reasons) {
                codes.add(reason.getCode());
            }
            return codes;
        }

        List<Reason> list() {
            return reasons;
        }
    }
}
