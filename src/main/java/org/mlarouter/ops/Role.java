package org.mlarouter.ops;

import java.util.Locale;

/** The roles of docs/contract.md (version 3, "People and roles"), as a users file and an identity provider name them. */
public enum Role {
    VIEWER, REVIEWER, SUPERVISOR, AGENCY, OPERATOR;

    /** The role's name in a users file or a token's claim: lower case. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role of a label, in any case; {@link IllegalArgumentException} naming the roles when there is none. */
    public static Role of(final String label) {
        for (final Role role : values()) {
            if (role.label().equalsIgnoreCase(label.trim())) {
                return role;
            }
        }
        throw new IllegalArgumentException("unknown role '" + label.trim() + "': the roles are viewer, reviewer, supervisor, agency, operator");
    }
}
