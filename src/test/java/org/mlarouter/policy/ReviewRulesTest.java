package org.mlarouter.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.mlarouter.avro.OutcomeKind;
import org.mlarouter.treaty.TreatyTable;

/** The one set of review rules the router's processor, the console and the command line apply. */
class ReviewRulesTest {

    private static final Set<String> FRANCE = ReviewRules.instrumentIds(TreatyTable.shipped("KZ").coverage("FR").orElseThrow());

    private static List<String> problems(final String decision, final String reviewer, final String grounds, final String legalBasis,
                                         final Set<String> instruments) {
        return ReviewRules.problems(decision, reviewer, grounds, legalBasis, "FR", instruments).stream().map(ReviewRules.Problem::message).toList();
    }

    @Test
    void shouldApplyAnAcceptanceOrARefusalWithOrWithoutOneOfTheCounterpartsInstruments() {
        assertEquals(List.of(), problems("ACCEPTED", "PG-07", "Reciprocity confirmed", null, FRANCE));
        assertEquals(List.of(), problems("ACCEPTED", "PG-07", "Covered", "KZ-FR-MLA", FRANCE));
        assertEquals(List.of(), problems("REFUSED", "PG-07", "Refused under the treaty's grounds", "KZ-FR-MLA", FRANCE),
                "a refusal may name the instrument relied on, as the contract's legalBasis allows on any decision");
        assertEquals(List.of(), problems("REFUSED", "PG-07", "Refused", " ", FRANCE), "a blank legal basis is none");
    }

    @Test
    void shouldNameEveryProblem() {
        assertEquals(List.of("decision NEEDS_REVIEW is not ACCEPTED or REFUSED", "reviewer is blank", "grounds are blank",
                "legalBasis KZ-DE-MLA is not an instrument with FR"), problems("NEEDS_REVIEW", " ", "", "KZ-DE-MLA", FRANCE));
        assertEquals(List.of("decision is blank"), problems(null, "PG-07", "g", null, FRANCE));
        assertEquals(List.of("legalBasis KZ-FR-MLA is not an instrument with FR"), problems("ACCEPTED", "PG-07", "g", "KZ-FR-MLA", Set.of()),
                "no coverage: no instrument");
        assertEquals(ReviewRules.Field.GROUNDS, ReviewRules.problems("ACCEPTED", "PG-07", null, null, "FR", FRANCE).get(0).field());
        assertEquals("Grounds are blank", ReviewRules.problems("ACCEPTED", "PG-07", null, null, "FR", FRANCE).get(0).sentence());
    }

    @Test
    void shouldLeaveTheLegalBasisToTheRouterWhenTheInstrumentsAreNotKnownHere() {
        assertEquals(List.of(), problems("ACCEPTED", "PG-07", "g", "KZ-ANY", null));
        assertEquals("KZ-FR-MLA", ReviewRules.legalBasis(" KZ-FR-MLA "));
        assertNull(ReviewRules.legalBasis("  "));
    }

    private static String judged(final boolean pending, final ReviewRules.Proposal held, final OutcomeKind kind, final String decision,
                                 final String reviewer, final String grounds, final FourEyes fourEyes) {
        final ReviewRules.Judgement judgement = ReviewRules.judge(pending, held, kind, decision, reviewer, grounds, null, "FR", FRANCE, fourEyes);
        return judgement.rejected() ? judgement.rejection() + ": " + judgement.message() : judgement.effect().name();
    }

    @Test
    void shouldHoldWhatFourEyesCoversAndEndTheReviewOtherwise() {
        assertEquals("FINAL", judged(true, null, OutcomeKind.DECISION, "ACCEPTED", "PG-07", "ok", FourEyes.REFUSALS));
        assertEquals("PROPOSED", judged(true, null, OutcomeKind.DECISION, "REFUSED", "PG-07", "no", FourEyes.REFUSALS));
        assertEquals("PROPOSED", judged(true, null, OutcomeKind.DECISION, "ACCEPTED", "PG-07", "ok", FourEyes.ALL));
        assertEquals("FINAL", judged(true, null, OutcomeKind.DECISION, "REFUSED", "PG-07", "no", FourEyes.NONE));
        assertEquals("NOT_PENDING_REVIEW: the request is not pending review",
                judged(false, null, OutcomeKind.DECISION, "ACCEPTED", "PG-07", "ok", FourEyes.NONE));
        assertEquals("INVALID_OUTCOME: grounds are blank", judged(true, null, OutcomeKind.DECISION, "REFUSED", "PG-07", " ", FourEyes.REFUSALS),
                "a proposal is checked as a decision is");
    }

    @Test
    void shouldLetAnotherPersonOnlyConfirmOrReturnAProposal() {
        final ReviewRules.Proposal held = new ReviewRules.Proposal("REFUSED", "PG-07");
        assertEquals("FINAL", judged(true, held, OutcomeKind.CONFIRMATION, null, "PG-SUP-2", "", FourEyes.REFUSALS));
        assertEquals("RETURNED", judged(true, held, OutcomeKind.RETURN, null, "PG-SUP-2", "Ask first", FourEyes.REFUSALS));
        assertEquals("OWN_PROPOSAL: PG-07 proposed this outcome and cannot confirm it: another supervisor must",
                judged(true, held, OutcomeKind.CONFIRMATION, null, " PG-07 ", "", FourEyes.REFUSALS));
        assertEquals("OWN_PROPOSAL: PG-07 proposed this outcome and cannot return it: another supervisor must",
                judged(true, held, OutcomeKind.RETURN, null, "PG-07", "why", FourEyes.REFUSALS));
        assertEquals("INVALID_OUTCOME: grounds are blank: a return says why", judged(true, held, OutcomeKind.RETURN, null, "PG-SUP-2", "", FourEyes.REFUSALS));
        assertEquals("NOT_PENDING_REVIEW: no proposal awaits confirmation for this request",
                judged(true, null, OutcomeKind.CONFIRMATION, null, "PG-SUP-2", "", FourEyes.REFUSALS));
        assertEquals("NOT_PENDING_REVIEW: the request awaits confirmation of PG-07's proposal to REFUSED; a supervisor confirms or returns it first",
                judged(true, held, OutcomeKind.DECISION, "ACCEPTED", "PG-08", "ok", FourEyes.REFUSALS));
        assertEquals(ReviewRules.Rejection.INVALID_OUTCOME.name(), ReviewRules.judge(true, held, OutcomeKind.CONFIRMATION, null, "PG-07", "",
                null, "FR", FRANCE, FourEyes.REFUSALS).reason(), "the proposer's own confirmation is dead-lettered as INVALID_OUTCOME");
    }

    @Test
    void shouldReadTheFourEyesSetting() {
        assertEquals(FourEyes.REFUSALS, FourEyes.of(" Refusals "));
        assertEquals(FourEyes.NONE, FourEyes.of("none"));
        assertEquals("must be one of refusals, all, none", org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> FourEyes.of("some")).getMessage());
    }
}
