package org.mlarouter.policy;

import java.util.regex.Pattern;

/** ISO 3166-1 alpha-2 state codes as the contract uses them: two upper-case ASCII letters. */
public final class StateCodes {

    private static final Pattern ALPHA_2 = Pattern.compile("[A-Z]{2}");

    private StateCodes() {
    }

    /** True when {@code code} has the form of an ISO 3166-1 alpha-2 code. */
    public static boolean isAlpha2(final String code) {
        return code != null && ALPHA_2.matcher(code).matches();
    }
}
