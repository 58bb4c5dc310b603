package org.mlarouter.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.mlarouter.avro.Instrument;
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

    private ReviewRules() {
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
