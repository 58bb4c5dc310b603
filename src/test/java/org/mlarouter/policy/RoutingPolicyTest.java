package org.mlarouter.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mlarouter.avro.AssistanceKind;
import org.mlarouter.avro.AssistanceRequest;
import org.mlarouter.avro.Concern;
import org.mlarouter.avro.InstrumentStatus;
import org.mlarouter.avro.Measure;
import org.mlarouter.avro.OffenceCategory;
import org.mlarouter.avro.Reason;
import org.mlarouter.avro.ReasonCode;
import org.mlarouter.avro.Route;
import org.mlarouter.avro.RoutingDecision;
import org.mlarouter.avro.TreatyCoverage;
import org.mlarouter.testing.Coverages;
import org.mlarouter.testing.Requests;
import org.mlarouter.treaty.TreatyTable;

class RoutingPolicyTest {

    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private static final TreatyTable SEEDS = TreatyTable.shipped("KZ");

    private final RoutingPolicy policy = new RoutingPolicy("KZ", Clock.fixed(NOW, ZoneOffset.UTC));

    private RoutingDecision decideWithSeeds(final AssistanceRequest request) {
        final TreatyCoverage coverage = policy.counterpartOf(request).flatMap(SEEDS::coverage).orElse(null);
        return policy.decide(request, coverage);
    }

    private static List<ReasonCode> codes(final RoutingDecision decision) {
        return decision.getReasons().stream().map(Reason::getCode).collect(Collectors.toList());
    }

    // --- the seed cases ---

    @Test
    void shouldRefuseExtraditionToFranceForWantOfLegalBasis() {
        final RoutingDecision decision = decideWithSeeds(Requests.extradition("r-1", "FR").build());

        assertEquals(Route.REFUSED, decision.getRoute());
        assertEquals(List.of(ReasonCode.NO_LEGAL_BASIS), codes(decision));
        assertNull(decision.getLegalBasis());
        assertEquals("FR", decision.getCounterpartState());
        assertEquals(1L, decision.getCoverageRevision());
    }

    @Test
    void shouldAcceptSearchesAndSeizureInFranceForFraudOnTheFranceTreaty() {
        final RoutingDecision decision = decideWithSeeds(Requests.mla("r-2", "FR", Measure.SEARCH, Measure.SEIZURE).build());

        assertEquals(Route.ACCEPTED, decision.getRoute());
        assertEquals(List.of(ReasonCode.COVERED), codes(decision));
        assertEquals("KZ-FR-MLA", decision.getLegalBasis());
    }

    @Test
    void shouldAcceptARequestFromFranceToTheHomeStateToo() {
        final AssistanceRequest fromFrance = Requests.mla("r-3", "FR", Measure.QUESTIONING)
                .setRequestingState("FR").setRequestedState("KZ").build();

        final RoutingDecision decision = decideWithSeeds(fromFrance);

        assertEquals(Route.ACCEPTED, decision.getRoute());
        assertEquals("FR", decision.getCounterpartState());
        assertEquals("KZ-FR-MLA", decision.getLegalBasis());
    }

    @Test
    void shouldSendVietnamToReviewAsTheTreatyIsNotInForce() {
        final RoutingDecision decision = decideWithSeeds(Requests.mla("r-4", "VN", Measure.SERVICE_OF_DOCUMENTS).build());

        assertEquals(Route.NEEDS_REVIEW, decision.getRoute());
        assertEquals(List.of(ReasonCode.TREATY_NOT_IN_FORCE), codes(decision));
        assertNull(decision.getLegalBasis());
        assertTrue(decision.getReasons().get(0).getDetail().contains("KZ-VN-MLA (SIGNED)"));
    }

    @Test
    void shouldSendTheUnitedStatesToReviewAsTheTreatyIsOnlySigned() {
        final RoutingDecision decision = decideWithSeeds(Requests.mla("r-5", "US", Measure.BANK_INFORMATION).build());

        assertEquals(Route.NEEDS_REVIEW, decision.getRoute());
        assertEquals(List.of(ReasonCode.TREATY_NOT_IN_FORCE), codes(decision));
    }

    @Test
    void shouldRefuseATransferFromUzbekistanWith200DaysLeft() {
        final AssistanceRequest request = Requests.transfer("r-6", "UZ")
                .setSentencedPerson(Requests.sentenced("UZ", 200).build()).build();

        final RoutingDecision decision = decideWithSeeds(request);

        assertEquals(Route.REFUSED, decision.getRoute());
        assertEquals(List.of(ReasonCode.TRANSFER_CONDITION_NOT_MET), codes(decision));
        assertTrue(decision.getReasons().get(0).getDetail().contains("365"), decision.getReasons().get(0).getDetail());
    }

    @Test
    void shouldAcceptATransferFromUzbekistanMeetingEveryCondition() {
        final RoutingDecision decision = decideWithSeeds(Requests.transfer("r-7", "UZ").build());

        assertEquals(Route.ACCEPTED, decision.getRoute());
        assertEquals("KZ-UZ-TSP", decision.getLegalBasis());
    }

    @Test
    void shouldSendAStateWithNoRecordToReview() {
        final RoutingDecision decision = decideWithSeeds(Requests.mla("r-8", "DE", Measure.SEARCH).build());

        assertEquals(Route.NEEDS_REVIEW, decision.getRoute());
        assertEquals(List.of(ReasonCode.NO_TREATY_DATA), codes(decision));
        assertNull(decision.getCoverageRevision());
    }

    @Test
    void shouldRefuseCubaWhoseAgreementIsOnlyBeingNegotiated() {
        final RoutingDecision decision = decideWithSeeds(Requests.mla("r-9", "CU", Measure.SEARCH).build());

        assertEquals(Route.REFUSED, decision.getRoute());
        assertEquals(List.of(ReasonCode.NO_LEGAL_BASIS), codes(decision));
        assertTrue(decision.getReasons().get(0).getDetail().contains("NEGOTIATING"));
    }

    @Test
    void shouldRefuseMutualLegalAssistanceWithUzbekistanWhoseTreatyCoversTransfersOnly() {
        final RoutingDecision decision = decideWithSeeds(Requests.mla("r-10", "UZ", Measure.SEARCH).build());

        assertEquals(Route.REFUSED, decision.getRoute());
        assertEquals(List.of(ReasonCode.NO_LEGAL_BASIS), codes(decision));
    }

    @Test
    void shouldReviewAMeasureTheFranceTreatyDoesNotList() {
        final RoutingDecision decision = decideWithSeeds(Requests.mla("r-11", "FR", Measure.SEARCH, Measure.TRANSFER_OF_DETAINED_PERSON).build());

        assertEquals(Route.NEEDS_REVIEW, decision.getRoute());
        assertEquals(List.of(ReasonCode.MEASURE_NOT_COVERED), codes(decision));
        assertTrue(decision.getReasons().get(0).getDetail().startsWith("TRANSFER_OF_DETAINED_PERSON"));
        assertNull(decision.getLegalBasis());
    }

    // --- rule 1: the home state ---

    @Test
    void shouldReviewARequestBetweenTwoOtherStates() {
        final AssistanceRequest request = Requests.mla("r-12", "DE", Measure.SEARCH).setRequestingState("FR").build();

        final RoutingDecision decision = decideWithSeeds(request);

        assertEquals(Route.NEEDS_REVIEW, decision.getRoute());
        assertEquals(List.of(ReasonCode.NOT_HOME_STATE), codes(decision));
        assertNull(decision.getCoverageRevision());
    }

    @Test
    void shouldReviewARequestFromTheHomeStateToItself() {
        final RoutingDecision decision = decideWithSeeds(Requests.mla("r-13", "KZ", Measure.SEARCH).build());

        assertEquals(Route.NEEDS_REVIEW, decision.getRoute());
        assertEquals(List.of(ReasonCode.NOT_HOME_STATE), codes(decision));
        assertEquals("KZ", decision.getCounterpartState());
    }

    @Test
    void shouldHonourAnotherHomeState() {
        final RoutingPolicy french = new RoutingPolicy("FR", Clock.fixed(NOW, ZoneOffset.UTC));
        final AssistanceRequest request = Requests.mla("r-14", "FR", Measure.SEARCH).build();

        assertEquals(java.util.Optional.of("KZ"), french.counterpartOf(request));
        assertThrows(IllegalArgumentException.class, () -> new RoutingPolicy("Kazakhstan", Clock.systemUTC()));
    }

    // --- rule 2: required data ---

    @Test
    void shouldReviewMutualLegalAssistanceWithoutMeasures() {
        final RoutingDecision decision = decideWithSeeds(Requests.mla("r-15", "FR").build());

        assertEquals(Route.NEEDS_REVIEW, decision.getRoute());
        assertEquals(List.of(ReasonCode.INCOMPLETE_REQUEST), codes(decision));
    }

    @Test
    void shouldReviewATransferWithoutASentencedPerson() {
        final RoutingDecision decision = decideWithSeeds(Requests.transfer("r-16", "UZ").setSentencedPerson(null).build());

        assertEquals(Route.NEEDS_REVIEW, decision.getRoute());
        assertEquals(List.of(ReasonCode.INCOMPLETE_REQUEST), codes(decision));
        assertEquals("KZ-UZ-TSP", decision.getLegalBasis());
    }

    @Test
    void shouldStillJudgeWhatTheRestOfAnIncompleteTransferShows() {
        final RoutingDecision decision = decideWithSeeds(Requests.transfer("r-16b", "UZ").setSentencedPerson(null)
                .setOffence(Requests.offence(org.mlarouter.avro.OffenceCategory.DRUG_TRAFFICKING).setDualCriminality(false).build()).build());

        assertEquals(List.of(ReasonCode.INCOMPLETE_REQUEST, ReasonCode.TRANSFER_CONDITION_NOT_MET), codes(decision),
                "dual criminality is in the offence, not in the missing sentencedPerson");
        assertEquals(Route.REFUSED, decision.getRoute());
    }

    @Test
    void shouldReviewBlankIdsAndMalformedStateCodesWithoutEchoingThem() {
        final AssistanceRequest request = Requests.mla(" ", "fr", Measure.SEARCH).setRequestingAuthority("").build();

        final RoutingDecision decision = decideWithSeeds(request);

        assertEquals(Route.NEEDS_REVIEW, decision.getRoute());
        assertEquals(List.of(ReasonCode.INCOMPLETE_REQUEST, ReasonCode.INCOMPLETE_REQUEST, ReasonCode.INCOMPLETE_REQUEST), codes(decision));
        assertTrue(decision.getReasons().stream().noneMatch(reason -> reason.getDetail().contains("'fr'")));
        assertNull(decision.getCoverageRevision(), "no coverage is consulted without a proper counterpart");
    }

    @Test
    void shouldReviewAStateCodeAssignedToNoCountryNamingTheField() {
        final AssistanceRequest request = Requests.mla("r-zz", "ZZ", Measure.SEARCH).build();

        final RoutingDecision decision = decideWithSeeds(request);

        assertEquals(Route.NEEDS_REVIEW, decision.getRoute());
        assertEquals(List.of(ReasonCode.INCOMPLETE_REQUEST), codes(decision), "not NO_TREATY_DATA: ZZ is no counterpart");
        assertEquals("requestedState ZZ is not an ISO 3166-1 alpha-2 code assigned to a country", decision.getReasons().get(0).getDetail());
        assertNull(decision.getCoverageRevision());
        assertEquals(Route.ACCEPTED, decideWithSeeds(Requests.mla("r-fr", "FR", Measure.SEARCH).build()).getRoute(), "FR is assigned");
    }

    // --- rules 4 to 6 and 10 with coverage the seeds do not have ---

    @Test
    void shouldAcceptSeizureForMoneyLaunderingUnderAConventionAlone() {
        final TreatyCoverage coverage = Coverages.of("GR", 7, Coverages.proceedsConvention().build());
        final AssistanceRequest request = Requests.mla("r-17", "GR", Measure.SEIZURE, Measure.CONFISCATION)
                .setOffence(Requests.offence(OffenceCategory.MONEY_LAUNDERING).build()).build();

        final RoutingDecision decision = policy.decide(request, coverage);

        assertEquals(Route.ACCEPTED, decision.getRoute());
        assertEquals("COE-CETS-198", decision.getLegalBasis());
        assertEquals(7L, decision.getCoverageRevision());
    }

    @Test
    void shouldReviewASearchForFraudUnderAProceedsConventionWithBothGaps() {
        final TreatyCoverage coverage = Coverages.of("GR", 7, Coverages.proceedsConvention().build());

        final RoutingDecision decision = policy.decide(Requests.mla("r-18", "GR", Measure.SEARCH).build(), coverage);

        assertEquals(Route.NEEDS_REVIEW, decision.getRoute());
        assertEquals(List.of(ReasonCode.MEASURE_NOT_COVERED, ReasonCode.OFFENCE_NOT_COVERED), codes(decision));
        assertNull(decision.getLegalBasis());
    }

    @Test
    void shouldPreferABilateralTreatyOverAConvention() {
        final TreatyCoverage coverage = Coverages.of("ES", 2, Coverages.proceedsConvention().build(),
                Coverages.bilateral("KZ-ES-MLA", InstrumentStatus.IN_FORCE, AssistanceKind.MUTUAL_LEGAL_ASSISTANCE).build());
        final AssistanceRequest request = Requests.mla("r-19", "ES", Measure.SEIZURE)
                .setOffence(Requests.offence(OffenceCategory.MONEY_LAUNDERING).build()).build();

        assertEquals("KZ-ES-MLA", policy.decide(request, coverage).getLegalBasis());
    }

    @Test
    void shouldRelyOnTheInstrumentThatCoversTheRequestWhenAnotherDoesNot() {
        final TreatyCoverage coverage = Coverages.of("ES", 2, Coverages.proceedsConvention().build(),
                Coverages.bilateral("KZ-ES-MLA", InstrumentStatus.IN_FORCE, AssistanceKind.MUTUAL_LEGAL_ASSISTANCE)
                        .setMeasures(new ArrayList<>(List.of(Measure.QUESTIONING))).build());
        final AssistanceRequest request = Requests.mla("r-20", "ES", Measure.CONFISCATION)
                .setOffence(Requests.offence(OffenceCategory.TERRORIST_FINANCING).build()).build();

        final RoutingDecision decision = policy.decide(request, coverage);

        assertEquals(Route.ACCEPTED, decision.getRoute());
        assertEquals("COE-CETS-198", decision.getLegalBasis());
    }

    @ParameterizedTest
    @EnumSource(value = InstrumentStatus.class, names = {"NEGOTIATING", "SUSPENDED", "TERMINATED"})
    void shouldRefuseWhenTheOnlyInstrumentIsNoLegalBasis(final InstrumentStatus status) {
        final TreatyCoverage coverage = Coverages.of("IT", 3,
                Coverages.bilateral("KZ-IT-MLA", status, AssistanceKind.MUTUAL_LEGAL_ASSISTANCE).build());

        final RoutingDecision decision = policy.decide(Requests.mla("r-21", "IT", Measure.SEARCH).build(), coverage);

        assertEquals(Route.REFUSED, decision.getRoute());
        assertEquals(List.of(ReasonCode.NO_LEGAL_BASIS), codes(decision));
    }

    @ParameterizedTest
    @EnumSource(value = InstrumentStatus.class, names = {"SIGNED", "RATIFIED"})
    void shouldReviewWhenTheInstrumentIsNotYetInForce(final InstrumentStatus status) {
        final TreatyCoverage coverage = Coverages.of("IT", 3,
                Coverages.bilateral("KZ-IT-MLA", status, AssistanceKind.MUTUAL_LEGAL_ASSISTANCE).build());

        final RoutingDecision decision = policy.decide(Requests.mla("r-22", "IT", Measure.SEARCH).build(), coverage);

        assertEquals(Route.NEEDS_REVIEW, decision.getRoute());
        assertEquals(List.of(ReasonCode.TREATY_NOT_IN_FORCE), codes(decision));
    }

    // --- coverage over time: the instrument's dates, read on the decision's day in the home zone ---

    /** A policy deciding at {@code instant}, its days those of Almaty (UTC+5). */
    private static RoutingPolicy at(final String instant) {
        return new RoutingPolicy("KZ", Clock.fixed(Instant.parse(instant), ZoneOffset.UTC), java.time.ZoneId.of("Asia/Almaty"));
    }

    private static TreatyCoverage italyInForce(final String since, final String until) {
        return Coverages.of("IT", 3, Coverages.bilateral("KZ-IT-MLA", InstrumentStatus.IN_FORCE, AssistanceKind.MUTUAL_LEGAL_ASSISTANCE)
                .setInForceSince(since == null ? null : java.time.LocalDate.parse(since))
                .setInForceUntil(until == null ? null : java.time.LocalDate.parse(until)).build());
    }

    @Test
    void shouldReviewARequestDecidedBeforeItsInstrumentEntersIntoForceAndAcceptOneDecidedOnThatDay() {
        final TreatyCoverage coverage = italyInForce("2027-01-15", null);
        final AssistanceRequest request = Requests.mla("r-40", "IT", Measure.SEARCH).build();

        final RoutingDecision before = at("2027-01-14T18:59:59Z").decide(request, coverage); // 23:59:59 in Almaty
        final RoutingDecision onTheDay = at("2027-01-14T19:00:00Z").decide(request, coverage); // midnight in Almaty

        assertEquals(Route.NEEDS_REVIEW, before.getRoute());
        assertEquals(List.of(ReasonCode.TREATY_NOT_IN_FORCE), codes(before));
        assertTrue(before.getReasons().get(0).getDetail().contains("KZ-IT-MLA (IN_FORCE from 2027-01-15, not yet)"),
                before.getReasons().get(0).getDetail());
        assertNull(before.getLegalBasis());
        assertEquals(Route.ACCEPTED, onTheDay.getRoute());
        assertEquals(List.of(ReasonCode.COVERED), codes(onTheDay));
        assertEquals("KZ-IT-MLA", onTheDay.getLegalBasis());
    }

    @Test
    void shouldReadTheDayInTheHomeZoneNotInUtc() {
        final TreatyCoverage coverage = italyInForce("2027-01-15", null);
        final AssistanceRequest request = Requests.mla("r-41", "IT", Measure.SEARCH).build();
        final Clock lateEveningUtc = Clock.fixed(Instant.parse("2027-01-14T20:00:00Z"), ZoneOffset.UTC);

        assertEquals(Route.ACCEPTED, new RoutingPolicy("KZ", lateEveningUtc, java.time.ZoneId.of("Asia/Almaty")).decide(request, coverage).getRoute());
        assertEquals(Route.NEEDS_REVIEW, new RoutingPolicy("KZ", lateEveningUtc, ZoneOffset.UTC).decide(request, coverage).getRoute());
    }

    @Test
    void shouldAcceptOnTheLastDayInForceAndRefuseFromTheNextForWantOfLegalBasis() {
        final TreatyCoverage coverage = italyInForce("2020-01-01", "2027-03-31");
        final AssistanceRequest request = Requests.mla("r-42", "IT", Measure.SEARCH).build();

        final RoutingDecision lastDay = at("2027-03-31T12:00:00Z").decide(request, coverage);
        final RoutingDecision after = at("2027-03-31T19:00:00Z").decide(request, coverage); // 1 April in Almaty

        assertEquals(Route.ACCEPTED, lastDay.getRoute());
        assertEquals(Route.REFUSED, after.getRoute());
        assertEquals(List.of(ReasonCode.NO_LEGAL_BASIS), codes(after));
        assertTrue(after.getReasons().get(0).getDetail().contains("KZ-IT-MLA (IN_FORCE until 2027-03-31, no longer)"),
                after.getReasons().get(0).getDetail());
    }

    @Test
    void shouldRelyOnAConventionWhileTheBilateralTreatyIsNotYetInForce() {
        final TreatyCoverage coverage = Coverages.of("ES", 2, Coverages.proceedsConvention().build(),
                Coverages.bilateral("KZ-ES-MLA", InstrumentStatus.IN_FORCE, AssistanceKind.MUTUAL_LEGAL_ASSISTANCE)
                        .setInForceSince(java.time.LocalDate.parse("2027-06-01")).build());
        final AssistanceRequest request = Requests.mla("r-43", "ES", Measure.SEIZURE)
                .setOffence(Requests.offence(OffenceCategory.MONEY_LAUNDERING).build()).build();

        assertEquals("COE-CETS-198", at("2027-05-31T12:00:00Z").decide(request, coverage).getLegalBasis());
        assertEquals("KZ-ES-MLA", at("2027-06-01T12:00:00Z").decide(request, coverage).getLegalBasis());
    }

    @Test
    void shouldTakeASignedInstrumentAsSignedWhateverItsDates() {
        final TreatyCoverage coverage = Coverages.of("VN", 1, Coverages.bilateral("KZ-VN-MLA", InstrumentStatus.SIGNED, AssistanceKind.MUTUAL_LEGAL_ASSISTANCE)
                .setSignedOn(java.time.LocalDate.parse("2017-06-01")).setInForceSince(java.time.LocalDate.parse("2020-01-01")).build());

        final RoutingDecision decision = at("2027-01-20T12:00:00Z").decide(Requests.mla("r-44", "VN", Measure.SEARCH).build(), coverage);

        assertEquals(List.of(ReasonCode.TREATY_NOT_IN_FORCE), codes(decision));
        assertTrue(decision.getReasons().get(0).getDetail().contains("KZ-VN-MLA (SIGNED)"), decision.getReasons().get(0).getDetail());
    }

    @Test
    void shouldSayFromWhenACoverageAppliesAsItDoesOnADay() {
        final TreatyCoverage coverage = italyInForce("2027-01-15", "2027-03-31");
        final java.time.ZoneId almaty = java.time.ZoneId.of("Asia/Almaty");

        assertEquals(coverage.getUpdatedAt(), InForce.appliesSince(coverage, java.time.LocalDate.parse("2027-01-14"), almaty));
        assertEquals(Instant.parse("2027-01-14T19:00:00Z"), InForce.appliesSince(coverage, java.time.LocalDate.parse("2027-02-01"), almaty));
        assertEquals(Instant.parse("2027-03-31T19:00:00Z"), InForce.appliesSince(coverage, java.time.LocalDate.parse("2027-04-01"), almaty));
        assertEquals(InForce.fingerprint(coverage, java.time.LocalDate.parse("2027-01-15")), InForce.fingerprint(coverage, java.time.LocalDate.parse("2027-03-31")));
        assertFalse(InForce.fingerprint(coverage, java.time.LocalDate.parse("2027-01-14")).equals(InForce.fingerprint(coverage, java.time.LocalDate.parse("2027-01-15"))));
    }

    @Test
    void shouldIgnoreCoverageOfAnotherCounterpart() {
        final TreatyCoverage italy = SEEDS.coverage("IT").orElseThrow();

        final RoutingDecision decision = policy.decide(Requests.mla("r-23", "FR", Measure.SEARCH).build(), italy);

        assertEquals(List.of(ReasonCode.NO_TREATY_DATA), codes(decision));
    }

    // --- rules 7 and 8: grounds for refusal ---

    @Test
    void shouldRefuseOnPersecutionRiskAndStillNameTheLegalBasis() {
        final AssistanceRequest request = Requests.mla("r-24", "FR", Measure.SEARCH)
                .setConcerns(Requests.concerns(Concern.PERSECUTION_RISK)).build();

        final RoutingDecision decision = decideWithSeeds(request);

        assertEquals(Route.REFUSED, decision.getRoute());
        assertEquals(List.of(ReasonCode.PERSECUTION_RISK), codes(decision));
        assertEquals("KZ-FR-MLA", decision.getLegalBasis());
    }

    @Test
    void shouldListBothATreatyNotInForceAndAPersecutionRiskAndRefuse() {
        final AssistanceRequest request = Requests.mla("r-25", "VN", Measure.SEARCH)
                .setConcerns(Requests.concerns(Concern.PERSECUTION_RISK)).build();

        final RoutingDecision decision = decideWithSeeds(request);

        assertEquals(Route.REFUSED, decision.getRoute());
        assertEquals(List.of(ReasonCode.TREATY_NOT_IN_FORCE, ReasonCode.PERSECUTION_RISK), codes(decision));
    }

    @ParameterizedTest
    @EnumSource(value = Concern.class, names = {"SOVEREIGNTY_OR_SECURITY", "PUBLIC_ORDER", "CONTRARY_TO_NATIONAL_LAW", "DOUBLE_JEOPARDY"})
    void shouldReviewEachDiscretionaryConcern(final Concern concern) {
        final AssistanceRequest request = Requests.mla("r-26", "FR", Measure.SEARCH).setConcerns(Requests.concerns(concern)).build();

        final RoutingDecision decision = decideWithSeeds(request);

        assertEquals(Route.NEEDS_REVIEW, decision.getRoute());
        assertEquals(List.of(ReasonCode.DISCRETIONARY_GROUND), codes(decision));
        assertEquals("KZ-FR-MLA", decision.getLegalBasis());
    }

    @Test
    void shouldReviewPoliticalAndMilitaryOffencesWithAReasonEach() {
        final AssistanceRequest request = Requests.mla("r-27", "FR", Measure.SEARCH)
                .setOffence(Requests.offence(OffenceCategory.OTHER).setPoliticalOffence(true).setMilitaryOffence(true).build()).build();

        final RoutingDecision decision = decideWithSeeds(request);

        assertEquals(Route.NEEDS_REVIEW, decision.getRoute());
        assertEquals(List.of(ReasonCode.DISCRETIONARY_GROUND, ReasonCode.DISCRETIONARY_GROUND), codes(decision));
    }

    @Test
    void shouldRefuseExtraditionToFranceOverAPublicOrderConcernAndListBoth() {
        final AssistanceRequest request = Requests.extradition("r-28", "FR").setConcerns(Requests.concerns(Concern.PUBLIC_ORDER)).build();

        final RoutingDecision decision = decideWithSeeds(request);

        assertEquals(Route.REFUSED, decision.getRoute());
        assertEquals(List.of(ReasonCode.NO_LEGAL_BASIS, ReasonCode.DISCRETIONARY_GROUND), codes(decision));
    }

    // --- rule 9: transfer conditions ---

    @Test
    void shouldGiveOneReasonForEachUnmetTransferCondition() {
        final AssistanceRequest request = Requests.transfer("r-29", "UZ")
                .setOffence(Requests.offence(OffenceCategory.FRAUD).setDualCriminality(false).build())
                .setSentencedPerson(Requests.sentenced("TJ", 30)
                        .setFinalJudgment(false).setConsentDeclared(false)
                        .setProceedingsPending(true).setFinancialObligationsOutstanding(true).build())
                .build();

        final RoutingDecision decision = decideWithSeeds(request);

        assertEquals(Route.REFUSED, decision.getRoute());
        assertEquals(7, decision.getReasons().size(), decision.getReasons().toString());
        assertTrue(codes(decision).stream().allMatch(ReasonCode.TRANSFER_CONDITION_NOT_MET::equals));
        assertEquals("KZ-UZ-TSP", decision.getLegalBasis());
    }

    @Test
    void shouldAcceptATransferOfAKazakhNationalToo() {
        final AssistanceRequest homeward = Requests.transfer("r-30", "UZ")
                .setRequestingState("KZ").setRequestedState("UZ")
                .setSentencedPerson(Requests.sentenced("KZ", 400).build()).build();

        assertEquals(Route.ACCEPTED, decideWithSeeds(homeward).getRoute());
    }

    // --- the decision itself ---

    @Test
    void shouldCarryTheFullRequestAndTheClockTime() {
        final AssistanceRequest request = Requests.mla("r-31", "FR", Measure.SEARCH).build();

        final RoutingDecision decision = decideWithSeeds(request);

        assertSame(request, decision.getRequest());
        assertEquals("r-31", decision.getRequestId());
        assertEquals(NOW, decision.getDecidedAt());
    }

    @Test
    void shouldNeverNameASubjectInAReason() {
        final AssistanceRequest everything = Requests.transfer("r-32", "UZ")
                .setConcerns(Requests.concerns(Concern.values()))
                .setOffence(Requests.offence(OffenceCategory.TERRORISM).setDescription("Plot by " + Requests.SUBJECT_NAME)
                        .setPoliticalOffence(true).setMilitaryOffence(true).setDualCriminality(false).build())
                .setSentencedPerson(Requests.sentenced("TJ", 1).setFinalJudgment(false).build())
                .build();

        final RoutingDecision decision = decideWithSeeds(everything);

        assertTrue(decision.getReasons().size() >= 10, decision.getReasons().toString());
        for (final Reason reason : decision.getReasons()) {
            assertFalse(reason.getDetail().contains("Secretname"), reason.getDetail());
        }
    }
}
