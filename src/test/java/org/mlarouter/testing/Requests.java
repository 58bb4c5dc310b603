package org.mlarouter.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.mlarouter.avro.AssistanceKind;
import org.mlarouter.avro.AssistanceRequest;
import org.mlarouter.avro.Concern;
import org.mlarouter.avro.Measure;
import org.mlarouter.avro.Offence;
import org.mlarouter.avro.OffenceCategory;
import org.mlarouter.avro.Person;
import org.mlarouter.avro.PersonRole;
import org.mlarouter.avro.SentencedPerson;
import org.mlarouter.avro.Urgency;

/** Sample requests for tests: a complete, plain request from Kazakhstan, changed one field at a time. */
public final class Requests {

    /** A name that must never appear in logs, metrics or dead-letter headers. */
    public static final String SUBJECT_NAME = "Zhanibek Testovich Secretname";

    private Requests() {
    }

    /** Kazakhstan asks {@code counterpart} for {@code measures} in a fraud case. */
    public static AssistanceRequest.Builder mla(final String requestId, final String counterpart, final Measure... measures) {
        return AssistanceRequest.newBuilder()
                .setRequestId(requestId)
                .setSubmittedAt(Instant.parse("2026-11-23T09:00:00Z"))
                .setRequestingState("KZ")
                .setRequestedState(counterpart)
                .setRequestingAuthority("Office of the Prosecutor General")
                .setKind(AssistanceKind.MUTUAL_LEGAL_ASSISTANCE)
                .setMeasures(new ArrayList<>(List.of(measures)))
                .setOffence(offence(OffenceCategory.FRAUD).build())
                .setConcerns(new ArrayList<>())
                .setSentencedPerson(null)
                .setSubjects(new ArrayList<>(List.of(new Person(SUBJECT_NAME, PersonRole.SUSPECT))))
                .setUrgency(Urgency.ROUTINE);
    }

    /** Kazakhstan asks {@code counterpart} to extradite a suspect. */
    public static AssistanceRequest.Builder extradition(final String requestId, final String counterpart) {
        return mla(requestId, counterpart).setKind(AssistanceKind.EXTRADITION).setMeasures(new ArrayList<>());
    }

    /** {@code counterpart} asks Kazakhstan to transfer a sentenced national of {@code counterpart}, all conditions met. */
    public static AssistanceRequest.Builder transfer(final String requestId, final String counterpart) {
        return mla(requestId, counterpart)
                .setRequestingState(counterpart)
                .setRequestedState("KZ")
                .setKind(AssistanceKind.TRANSFER_OF_SENTENCED_PERSON)
                .setMeasures(new ArrayList<>())
                .setOffence(offence(OffenceCategory.DRUG_TRAFFICKING).build())
                .setSentencedPerson(sentenced(counterpart, 800).build())
                .setSubjects(new ArrayList<>(List.of(new Person(SUBJECT_NAME, PersonRole.SENTENCED))));
    }

    public static Offence.Builder offence(final OffenceCategory category) {
        return Offence.newBuilder()
                .setCategory(category)
                .setDescription("Case 2026-" + category.name().toLowerCase(java.util.Locale.ROOT))
                .setPoliticalOffence(false)
                .setMilitaryOffence(false)
                .setDualCriminality(true);
    }

    public static SentencedPerson.Builder sentenced(final String nationality, final int remainingDays) {
        return SentencedPerson.newBuilder()
                .setNationality(nationality)
                .setRemainingSentenceDays(remainingDays)
                .setFinalJudgment(true)
                .setConsentDeclared(true)
                .setProceedingsPending(false)
                .setFinancialObligationsOutstanding(false);
    }

    public static List<Concern> concerns(final Concern... concerns) {
        return new ArrayList<>(List.of(concerns));
    }
}
