package org.mlarouter.policy;

import java.util.Locale;

import org.mlarouter.avro.Route;

/**
 * Which reviewers' outcomes a second person confirms before they take effect ({@code mla.review.four.eyes},
 * docs/contract.md, version 3): {@code refusals} (the default), {@code all} or {@code none}.
 */
public enum FourEyes {
    NONE, REFUSALS, ALL;

    /** The setting's value as the configuration spells it. */
    public String setting() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The setting of a configuration value; an {@link IllegalArgumentException} naming the three for any other. */
    public static FourEyes of(final String setting) {
        for (final FourEyes value : values()) {
            if (value.setting().equals(setting == null ? null : setting.trim().toLowerCase(Locale.ROOT))) {
                return value;
            }
        }
        throw new IllegalArgumentException("must be one of refusals, all, none");
    }

    /** Whether a reviewer's decision is held for a second person's confirmation. */
    public boolean covers(final Route decision) {
        return this == ALL || this == REFUSALS && decision == Route.REFUSED;
    }
}
