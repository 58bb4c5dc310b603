package org.mlarouter.policy;

import java.util.EnumSet;

import org.mlarouter.avro.AssistanceRequest;
import org.mlarouter.avro.Concern;
import org.mlarouter.avro.Offence;
import org.mlarouter.avro.ReasonCode;

/** Rules 7 and 8: the mandatory ground for refusal (persecution) and the discretionary ones a person weighs. */
final class Grounds {

    private Grounds() {
    }

    /** Rules 7 and 8: the mandatory and the discretionary grounds for refusal. */
    static void checkGrounds(final AssistanceRequest request, final Reasons reasons) {
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

}
