package org.mlarouter.policy;

import java.util.Optional;

import org.mlarouter.avro.AssistanceKind;
import org.mlarouter.avro.AssistanceRequest;
import org.mlarouter.avro.ReasonCode;

/** Rules 1 and 2: the parties (exactly one of them the home state) and the data a request must carry. */
final class Completeness {

    private final String homeState;

    Completeness(final String homeState) {
        this.homeState = homeState;
    }

    /**
     * The counterpart state whose coverage the request needs: present only when both state codes are well formed and
     * exactly one of them is the home state.
     */
    Optional<String> counterpartOf(final AssistanceRequest request) {
        final String requesting = request.getRequestingState();
        final String requested = request.getRequestedState();
        if (!StateCodes.isAssigned(requesting) || !StateCodes.isAssigned(requested)) {
            return Optional.empty();
        }
        final boolean homeAsks = requesting.equals(homeState);
        final boolean homeIsAsked = requested.equals(homeState);
        if (homeAsks == homeIsAsked) {
            return Optional.empty();
        }
        return Optional.of(homeAsks ? requested : requesting);
    }

    /** Rule 2: required data. */
    static void checkComplete(final AssistanceRequest request, final Reasons reasons) {
        if (isBlank(request.getRequestId())) {
            reasons.add(ReasonCode.INCOMPLETE_REQUEST, "requestId is blank");
        }
        if (isBlank(request.getRequestingAuthority())) {
            reasons.add(ReasonCode.INCOMPLETE_REQUEST, "requestingAuthority is blank");
        }
        checkStateCode("requestingState", request.getRequestingState(), reasons);
        checkStateCode("requestedState", request.getRequestedState(), reasons);
        if (request.getKind() == AssistanceKind.MUTUAL_LEGAL_ASSISTANCE && request.getMeasures().isEmpty()) {
            reasons.add(ReasonCode.INCOMPLETE_REQUEST, "A request for mutual legal assistance names no measures");
        }
        if (request.getKind() == AssistanceKind.TRANSFER_OF_SENTENCED_PERSON && request.getSentencedPerson() == null) {
            reasons.add(ReasonCode.INCOMPLETE_REQUEST, "A transfer request carries no sentencedPerson");
        }
    }

    private static void checkStateCode(final String field, final String code, final Reasons reasons) {
        // A malformed value is not echoed: it may hold anything, personal data included.
        StateCodes.problem(field, code).ifPresent(problem -> reasons.add(ReasonCode.INCOMPLETE_REQUEST, problem));
    }

    /** Rule 1: exactly one party is the home state. */
    void checkHomeState(final AssistanceRequest request, final Reasons reasons) {
        final String requesting = request.getRequestingState();
        final String requested = request.getRequestedState();
        if (!StateCodes.isAssigned(requesting) || !StateCodes.isAssigned(requested)) {
            return;
        }
        final boolean homeAsks = requesting.equals(homeState);
        final boolean homeIsAsked = requested.equals(homeState);
        if (homeAsks && homeIsAsked) {
            reasons.add(ReasonCode.NOT_HOME_STATE, "Both parties are the home state " + homeState);
        } else if (!homeAsks && !homeIsAsked) {
            reasons.add(ReasonCode.NOT_HOME_STATE,
                    "Neither " + requesting + " nor " + requested + " is the home state " + homeState);
        }
    }

    /** The state named as counterpart when there is no proper one: the party that is not home, else the requester. */
    String nominalCounterpart(final AssistanceRequest request) {
        final String requesting = request.getRequestingState();
        return homeState.equals(requesting) ? request.getRequestedState() : requesting;
    }

    private static boolean isBlank(final String value) {
        return value == null || value.isBlank();
    }

}
