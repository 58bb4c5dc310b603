package org.mlarouter.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import org.mlarouter.avro.AssistanceKind;
import org.mlarouter.avro.InstrumentStatus;
import org.mlarouter.avro.TreatyCoverage;
import org.mlarouter.clients.CoverageChangeLog.Change;
import org.mlarouter.clients.CoverageChangeLog.State;
import org.mlarouter.json.AvroJson;
import org.mlarouter.json.Json;
import org.mlarouter.testing.Coverages;
import org.junit.jupiter.api.Test;

/** The record of coverage changes: what changed in words, what waits for approval, and the JSON kept on the topic. */
class CoverageChangeLogTest {

    private static TreatyCoverage italy(final long revision, final InstrumentStatus status, final String since) {
        return Coverages.of("IT", revision, Coverages.bilateral("KZ-IT-MLA", status, AssistanceKind.MUTUAL_LEGAL_ASSISTANCE)
                .setInForceSince(since == null ? null : LocalDate.parse(since)).build());
    }

    private static Change change(final String counterpart, final State state, final long revision) {
        return new Change(counterpart, state, revision, "PG-LEGAL-1", "why", null, null, Instant.parse("2027-01-10T07:00:00Z"), List.of(),
                AvroJson.toJson(italy(revision, InstrumentStatus.SIGNED, null)));
    }

    @Test
    void shouldSayWhatChangedPerInstrumentAndField() {
        final TreatyCoverage before = italy(1, InstrumentStatus.SIGNED, null);
        final TreatyCoverage after = italy(2, InstrumentStatus.IN_FORCE, "2027-01-15");
        after.getInstruments().add(Coverages.proceedsConvention().build());

        assertEquals(List.of("KZ-IT-MLA: status SIGNED → IN_FORCE", "KZ-IT-MLA: inForceSince – → 2027-01-15", "COE-CETS-198: added, IN_FORCE"),
                CoverageChangeLog.differences(before, after));
        assertEquals(List.of("KZ-IT-MLA: removed"), CoverageChangeLog.differences(after, Coverages.of("IT", 3,
                Coverages.proceedsConvention().build())));
        assertEquals(List.of("new counterpart IT (State IT)", "KZ-IT-MLA: added, SIGNED"), CoverageChangeLog.differences(null, before));
    }

    @Test
    void shouldKeepPendingOnlyTheLatestChangeOfACounterpartWhenItIsProposed() {
        final List<Change> changes = List.of(change("IT", State.APPLIED, 1), change("IT", State.PROPOSED, 2), change("FR", State.PROPOSED, 2),
                change("FR", State.PROPOSED, 3), change("ES", State.PROPOSED, 2), change("ES", State.REJECTED, 2));

        assertEquals(List.of("IT:2", "FR:3"), CoverageChangeLog.pending(changes).values().stream()
                .map(change -> change.counterpartState() + ":" + change.revision()).toList(), "a newer proposal replaces one pending");
    }

    @Test
    void shouldReadBackWhatItWritesAndMakeTheCoverageWithItsAuthorAndApprover() throws Exception {
        final Change proposed = change("IT", State.PROPOSED, 2);
        final Change approved = proposed.decided(State.APPROVED, "PG-SUPERVISOR-2", null, Instant.parse("2027-01-11T07:00:00Z"));

        final Change read = Change.of(Json.MAPPER.readTree(approved.toJson().toString()));

        assertEquals(approved.toJson().toString(), read.toJson().toString());
        final TreatyCoverage coverage = read.coverage("PG-SUPERVISOR-2");
        assertEquals("PG-LEGAL-1", coverage.getChangedBy());
        assertEquals("why", coverage.getChangeNote());
        assertEquals("PG-SUPERVISOR-2", coverage.getApprovedBy());
        assertEquals(2, coverage.getRevision());
    }
}
