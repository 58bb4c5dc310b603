package org.mlarouter.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.mlarouter.avro.Instrument;
import org.mlarouter.avro.OutcomeKind;
import org.mlarouter.avro.Route;
import org.mlarouter.avro.TreatyCoverage;

/**
 * When a reviewer's outcome can be applied (docs/contract.md, the review loop): the decision is ACCEPTED or REFUSED,
 * a reviewer and grounds are given, and a legal basis, if given, on either decision, is one of the counterpart's
 * instruments. One set of rules: the router's review processor dead-letters an outcome that breaks them as
 * {@code INVALID_OUTCOME}, and the console and the command line refuse it before writing it.
 */
public final class ReviewRules {

    /** The part of an outcome a problem is about, for callers that name it their own way (a form field, an option). */
    public enum Field { DECISION, REVIEWER, GROUNDS, LEGAL_BASIS }

    /** One reason an outcome cannot be applied; {@code message} starts with the field's name in the contract. */
    public record Problem(Field field, String message) {

        /** The message as a sentence, for a person. */
        public String sentence() {
            return message.substring(0, 1).toUpperCase(Locale.ROOT) + message.substring(1);
        }
    }

    /** What an outcome that can be applied does to its request. */
    public enum Effect {
        /** The review ends: the final decision follows. */
        FINAL,
        /** The reviewer's decision is held for a second supervisor's confirmation (four-eyes). */
        PROPOSED,
        /** The proposal held is returned: the request is pending review again. */
        RETURNED
    }

    /** Why an outcome cannot be applied, as the review dead-letter reason and the API's reason name it. */
    public enum Rejection {
        /** The request's review has ended, it never went to review, or (a confirmation, a return) nothing awaits confirmation. */
        NOT_PENDING_REVIEW,
        /** The outcome breaks a rule of its own: see {@link #problems}; or the proposer confirms or returns their own proposal. */
        INVALID_OUTCOME,
        /** The proposer confirms or returns their own proposal: a subset of INVALID_OUTCOME the API answers 403. */
        OWN_PROPOSAL
    }

    /** A reviewer's decision held for confirmation: who proposed what. */
    public record Proposal(String decision, String reviewer) {
    }

    /** The judgement on one outcome: its effect, or why it cannot be applied. */
    public record Judgement(Effect effect, Rejection rejection, String message) {

        static Judgement applies(final Effect effect) {
            return new Judgement(effect, null, null);
        }

        static Judgement rejected(final Rejection rejection, final String message) {
            return new Judgement(null, rejection, message);
        }

        public boolean rejected() {
            return rejection != null;
        }

        /** The dead-letter reason of a rejection: {@code OWN_PROPOSAL} is an {@code INVALID_OUTCOME}. */
        public String reason() {
            return rejection == Rejection.OWN_PROPOSAL ? Rejection.INVALID_OUTCOME.name() : rejection.name();
        }
    }

    private ReviewRules() {
    }

    /**
     * Whether, and how, an outcome applies to a request (docs/contract.md, "Four-eyes"). A DECISION applies to a request
     * pending review with no proposal held; four-eyes decides whether it ends the review or is held. A CONFIRMATION or
     * RETURN applies to a proposal held, from anyone but its proposer; a RETURN needs grounds.
     *
     * @param pending     whether the request's review has not ended
     * @param held        the proposal held for confirmation, or null
     * @param kind        DECISION, CONFIRMATION or RETURN
     * @param instruments as for {@link #problems}
     */
    public static Judgement judge(final boolean pending, final Proposal held, final OutcomeKind kind, final String decision,
                                  final String reviewer, final String grounds, final String legalBasis, final String counterpart,
                                  final Set<String> instruments, final FourEyes fourEyes) {
        if (!pending) {
            return Judgement.rejected(Rejection.NOT_PENDING_REVIEW, "the request is not pending review");
        }
        if (kind == OutcomeKind.DECISION) {
            if (held != null) {
                return Judgement.rejected(Rejection.NOT_PENDING_REVIEW, "the request awaits confirmation of " + held.reviewer()
                        + "'s proposal to " + held.decision() + "; a supervisor confirms or returns it first");
            }
            final List<Problem> problems = problems(decision, reviewer, grounds, legalBasis, counterpart, instruments);
            if (!problems.isEmpty()) {
                return Judgement.rejected(Rejection.INVALID_OUTCOME, joined(problems));
            }
            return Judgement.applies(fourEyes.covers(Route.valueOf(decision)) ? Effect.PROPOSED : Effect.FINAL);
        }
        if (held == null) {
            return Judgement.rejected(Rejection.NOT_PENDING_REVIEW, "no proposal awaits confirmation for this request");
        }
        if (blank(reviewer)) {
            return Judgement.rejected(Rejection.INVALID_OUTCOME, "reviewer is blank");
        }
        if (reviewer.trim().equals(held.reviewer())) {
            return Judgement.rejected(Rejection.OWN_PROPOSAL, reviewer.trim() + " proposed this outcome and cannot "
                    + (kind == OutcomeKind.CONFIRMATION ? "confirm" : "return") + " it: another supervisor must");
        }
        if (kind == OutcomeKind.RETURN && blank(grounds)) {
            return Judgement.rejected(Rejection.INVALID_OUTCOME, "grounds are blank: a return says why");
        }
        return Judgement.applies(kind == OutcomeKind.CONFIRMATION ? Effect.FINAL : Effect.RETURNED);
    }

    private static String joined(final List<Problem> problems) {
        return problems.stream().map(Problem::message).collect(Collectors.joining("; "));
    }

    /**
     * Every problem of an outcome, none when it can be applied.
     *
     * @param decision    the route, as its symbol
     * @param instruments the ids of the counterpart's instruments in force, or null when the caller cannot know them
     *                    (a legal basis is then left to the router to check)
     */
    public static List<Problem> problems(final String decision, final String reviewer, final String grounds, final String legalBasis,
                                         final String counterpart, final Set<String> instruments) {
        final List<Problem> problems = new ArrayList<>();
        if (blank(decision)) {
            problems.add(new Problem(Field.DECISION, "decision is blank"));
        } else if (!decision.equals(Route.ACCEPTED.name()) && !decision.equals(Route.REFUSED.name())) {
            problems.add(new Problem(Field.DECISION, "decision " + decision + " is not ACCEPTED or REFUSED"));
        }
        if (blank(reviewer)) {
            problems.add(new Problem(Field.REVIEWER, "reviewer is blank"));
        }
        if (blank(grounds)) {
            problems.add(new Problem(Field.GROUNDS, "grounds are blank"));
        }
        final String basis = legalBasis(legalBasis);
        if (basis != null && instruments != null && !instruments.contains(basis)) {
            problems.add(new Problem(Field.LEGAL_BASIS, "legalBasis " + basis + " is not an instrument with " + counterpart));
        }
        return problems;
    }

    /** The legal basis as an outcome carries it: trimmed, or null when none is given. */
    public static String legalBasis(final String given) {
        return blank(given) ? null : given.trim();
    }

    /** The ids of a counterpart's instruments; none when it has no coverage. */
    public static Set<String> instrumentIds(final TreatyCoverage coverage) {
        return coverage == null ? Set.of() : coverage.getInstruments().stream().map(Instrument::getId).collect(Collectors.toUnmodifiableSet());
    }

    private static boolean blank(final String value) {
        return value == null || value.isBlank();
    }
}
