package org.mlarouter.policy;

/**
 * ISO 3166-1 alpha-2 state codes as the contract uses them: two upper-case ASCII letters ({@link #isAlpha2}), and
 * among them the codes assigned to a country ({@link #isAssigned}, the JDK's list): {@code ZZ} has the form but is
 * nobody's, {@code fr} has neither.
 */
public final class StateCodes {

    private static final java.util.Set<String> ASSIGNED = java.util.Set.copyOf(java.util.Locale.getISOCountries(java.util.Locale.IsoCountryCode.PART1_ALPHA2));

    private StateCodes() {
    }

    /** True when {@code code} is an ISO 3166-1 alpha-2 code assigned to a country. */
    public static boolean isAssigned(final String code) {
        return isAlpha2(code) && ASSIGNED.contains(code);
    }

    /**
     * What is wrong with a field's state code, in one line naming the field, or empty when it is an assigned code. A code
     * of the right form is named (two letters cannot be personal data); anything else is not echoed.
     */
    public static java.util.Optional<String> problem(final String field, final String code) {
        if (code == null || code.isBlank()) {
            return java.util.Optional.of(field + " is blank");
        }
        if (!isAlpha2(code)) {
            return java.util.Optional.of(field + " is not an ISO 3166-1 alpha-2 code (two upper-case letters)");
        }
        return isAssigned(code) ? java.util.Optional.empty()
                : java.util.Optional.of(field + " " + code + " is not an ISO 3166-1 alpha-2 code assigned to a country");
    }

    /** True when {@code code} has the form of an ISO 3166-1 alpha-2 code. */
    public static boolean isAlpha2(final String code) {
        // Called several times per request: a plain check, not a regular expression.
        return code != null && code.length() == 2 && isUpperAscii(code.charAt(0)) && isUpperAscii(code.charAt(1));
    }

    private static boolean isUpperAscii(final char c) {
        return c >= 'A' && c <= 'Z';
    }
}
