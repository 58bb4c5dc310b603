package org.mlarouter.policy;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.mlarouter.avro.AssistanceKind;
import org.mlarouter.avro.AssistanceRequest;
import org.mlarouter.avro.Instrument;
import org.mlarouter.avro.InstrumentStatus;
import org.mlarouter.avro.InstrumentType;
import org.mlarouter.avro.Measure;
import org.mlarouter.avro.Offence;
import org.mlarouter.avro.ReasonCode;
import org.mlarouter.avro.TreatyCoverage;

/**
 * Rules 4, 5 and 6, and the legal basis of rule 10: which instrument with the counterpart covers the request. The
 * basis is the in-force instrument that covers the kind, every requested measure and the offence, a bilateral treaty
 * preferred over a convention; the instrument consulted for conditions is the closest one even when it falls short.
 * Whether an instrument is in force is read on the decision's day ({@link InForce}): one published in force from a
 * later date is not in force yet, and one whose {@code inForceUntil} has passed is no legal basis any more.
 */
final class LegalBasis {

    private static final Set<InstrumentStatus> ACTIVE =
            EnumSet.of(InstrumentStatus.SIGNED, InstrumentStatus.RATIFIED, InstrumentStatus.IN_FORCE);

    private LegalBasis() {
    }

    /** Rules 4, 5 and 6, and the choice of legal basis for rule 10. Plain loops: this runs for every request. */
    static Assessment assess(final AssistanceRequest request, final TreatyCoverage coverage, final LocalDate day, final Reasons reasons) {
        final AssistanceKind kind = request.getKind();
        final List<Instrument> forKind = new ArrayList<>(2);
        final List<Instrument> active = new ArrayList<>(2);
        final List<Instrument> inForce = new ArrayList<>(2);
        for (final Instrument instrument : coverage.getInstruments()) {
            if (holds(instrument.getCovers(), kind)) {
                forKind.add(instrument);
                final InForce.Standing standing = InForce.on(instrument, day);
                if (ACTIVE.contains(instrument.getStatus()) && standing != InForce.Standing.ENDED) {
                    active.add(instrument);
                    if (instrument.getStatus() == InstrumentStatus.IN_FORCE && standing == InForce.Standing.AS_PUBLISHED) {
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
                        + " are not a legal basis: " + describe(forKind, day));
            }
            return Assessment.NONE;
        }
        if (inForce.isEmpty()) {
            final String party = coverage.getCounterpartName() + " (" + coverage.getCounterpartState() + ")";
            reasons.add(ReasonCode.TREATY_NOT_IN_FORCE, "Instruments with " + party + " cover " + kind
                    + " but none is in force: " + describe(active, day));
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

    /** Each instrument with its status, and the date that decides it on {@code day} when one does. */
    private static String describe(final List<Instrument> instruments, final LocalDate day) {
        return instruments.stream()
                .map(instrument -> instrument.getId() + " (" + switch (InForce.on(instrument, day)) {
                    case NOT_YET -> instrument.getStatus() + " from " + instrument.getInForceSince() + ", not yet";
                    case ENDED -> instrument.getStatus() + " until " + instrument.getInForceUntil() + ", no longer";
                    default -> instrument.getStatus().toString();
                } + ")")
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

    /** What the coverage offers a request: the instrument relied on (if any) and the one whose conditions apply. */
    static final class Assessment {
        static final Assessment NONE = new Assessment(null, null);
        final Instrument basis;
        final Instrument consulted;

        Assessment(final Instrument basis, final Instrument consulted) {
            this.basis = basis;
            this.consulted = consulted;
        }
    }
}
