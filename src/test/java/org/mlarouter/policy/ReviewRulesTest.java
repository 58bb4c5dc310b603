package org.mlarouter.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
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
}
