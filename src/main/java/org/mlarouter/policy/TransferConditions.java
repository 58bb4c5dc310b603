package org.mlarouter.policy;

import java.util.Objects;

import org.mlarouter.avro.AssistanceKind;
import org.mlarouter.avro.AssistanceRequest;
import org.mlarouter.avro.Instrument;
import org.mlarouter.avro.ReasonCode;
import org.mlarouter.avro.SentencedPerson;

/** Rule 9: the conditions of a transfer of a sentenced person, each unmet one a reason of its own. */
final class TransferConditions {

    private TransferConditions() {
    }

    /**
     * Rule 9: each unmet condition of a transfer of a sentenced person is a reason of its own. Without a
     * {@code sentencedPerson} (rule 2 already says the request is incomplete) the conditions that do not depend on the
     * person are still judged: dual criminality is in the offence.
     */
    static void checkTransferConditions(final AssistanceRequest request, final Instrument consulted,
                                                final Reasons reasons) {
        if (request.getKind() != AssistanceKind.TRANSFER_OF_SENTENCED_PERSON) {
            return;
        }
        final SentencedPerson person = request.getSentencedPerson();
        if (person == null) {
            if (!request.getOffence().getDualCriminality()) {
                reasons.add(ReasonCode.TRANSFER_CONDITION_NOT_MET, "The act is not a crime in both states");
            }
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

}
