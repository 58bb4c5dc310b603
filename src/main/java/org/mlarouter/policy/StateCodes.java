package org.mlarouter.policy;

/** ISO 3166-1 alpha-2 state codes as the contract uses them: two upper-case ASCII letters. */
public final class StateCodes {

    private StateCodes() {
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
