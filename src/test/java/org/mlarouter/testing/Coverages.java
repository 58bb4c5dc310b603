package org.mlarouter.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.mlarouter.avro.AssistanceKind;
import org.mlarouter.avro.Instrument;
import org.mlarouter.avro.InstrumentStatus;
import org.mlarouter.avro.InstrumentType;
import org.mlarouter.avro.Measure;
import org.mlarouter.avro.OffenceCategory;
import org.mlarouter.avro.TreatyCoverage;

/** Coverage records built in tests, for cases the shipped table does not have. */
public final class Coverages {

    private Coverages() {
    }

    public static TreatyCoverage of(final String state, final long revision, final Instrument... instruments) {
        return TreatyCoverage.newBuilder()
                .setCounterpartState(state)
                .setCounterpartName("State " + state)
                .setRevision(revision)
                .setUpdatedAt(Instant.parse("2026-11-01T00:00:00Z"))
                .setInstruments(new ArrayList<>(List.of(instruments)))
                .build();
    }

    public static Instrument.Builder bilateral(final String id, final InstrumentStatus status, final AssistanceKind... covers) {
        return Instrument.newBuilder()
                .setId(id)
                .setTitle("Treaty " + id)
                .setType(InstrumentType.BILATERAL_TREATY)
                .setCovers(new ArrayList<>(List.of(covers)))
                .setMeasures(new ArrayList<>())
                .setOffenceCategories(new ArrayList<>())
                .setStatus(status)
                .setSignedOn(null)
                .setInForceSince(null)
                .setMinRemainingSentenceDays(null)
                .setSource("test");
    }

    /** A convention on proceeds of crime: seizure and confiscation for laundering and terrorist financing. */
    public static Instrument.Builder proceedsConvention() {
        return bilateral("COE-CETS-198", InstrumentStatus.IN_FORCE, AssistanceKind.MUTUAL_LEGAL_ASSISTANCE)
                .setType(InstrumentType.MULTILATERAL_CONVENTION)
                .setMeasures(new ArrayList<>(List.of(Measure.SEIZURE, Measure.CONFISCATION)))
                .setOffenceCategories(new ArrayList<>(List.of(OffenceCategory.MONEY_LAUNDERING, OffenceCategory.TERRORIST_FINANCING)));
    }
}
