package org.mlarouter.treaty;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.mlarouter.avro.AssistanceKind;
import org.mlarouter.avro.Instrument;
import org.mlarouter.avro.TreatyCoverage;
import org.mlarouter.policy.StateCodes;

/**
 * Checks one {@link TreatyCoverage} record for what the schema cannot say: well-formed codes, a counterpart other
 * than the home state, unique instrument ids, dates in order, conditions only where they mean something.
 *
 * <p>Used on the shipped table at start-up and on every coverage record before it is published.
 */
public final class CoverageValidator {

    private final String homeState;

    public CoverageValidator(final String homeState) {
        this.homeState = homeState;
    }

    /** The problems of one record, each a short sentence that names the instrument where one is concerned; empty if valid. */
    public List<String> problems(final TreatyCoverage coverage) {
        final List<String> problems = new ArrayList<>();
        if (!StateCodes.isAlpha2(coverage.getCounterpartState())) {
            problems.add("counterpartState '" + coverage.getCounterpartState() + "' is not an ISO 3166-1 alpha-2 code");
        } else if (coverage.getCounterpartState().equals(homeState)) {
            problems.add("counterpartState is the home state " + homeState);
        }
        if (coverage.getCounterpartName().isBlank()) {
            problems.add("counterpartName is blank");
        }
        if (coverage.getRevision() < 0) {
            problems.add("revision " + coverage.getRevision() + " is negative");
        }
        final Set<String> ids = new HashSet<>();
        for (final Instrument instrument : coverage.getInstruments()) {
            final String where = "instrument " + (instrument.getId().isBlank() ? "(blank id)" : instrument.getId()) + ": ";
            if (instrument.getId().isBlank()) {
                problems.add(where + "id is blank");
            } else if (!ids.add(instrument.getId())) {
                problems.add(where + "duplicate instrument id");
            }
            if (instrument.getTitle().isBlank()) {
                problems.add(where + "title is blank");
            }
            if (instrument.getSource().isBlank()) {
                problems.add(where + "source is blank: every fact must say where it comes from");
            }
            if (instrument.getCovers().isEmpty()) {
                problems.add(where + "covers no kind of assistance");
            }
            if (instrument.getSignedOn() != null && instrument.getInForceSince() != null
                    && instrument.getInForceSince().isBefore(instrument.getSignedOn())) {
                problems.add(where + "inForceSince " + instrument.getInForceSince() + " is before signedOn " + instrument.getSignedOn());
            }
            if (instrument.getInForceUntil() != null && instrument.getInForceSince() != null
                    && instrument.getInForceUntil().isBefore(instrument.getInForceSince())) {
                problems.add(where + "inForceUntil " + instrument.getInForceUntil() + " is before inForceSince " + instrument.getInForceSince());
            }
            final Integer minimumDays = instrument.getMinRemainingSentenceDays();
            if (minimumDays != null && minimumDays < 0) {
                problems.add(where + "minRemainingSentenceDays " + minimumDays + " is negative");
            }
            if (minimumDays != null && !instrument.getCovers().contains(AssistanceKind.TRANSFER_OF_SENTENCED_PERSON)) {
                problems.add(where + "minRemainingSentenceDays is set but the instrument does not cover TRANSFER_OF_SENTENCED_PERSON");
            }
        }
        return problems;
    }
}
