package org.mlarouter.ops;

import java.util.Arrays;
import java.util.Set;

/** Who a call comes from, once signed in: the name recorded on what they do, their roles and, for an agency, its authority. */
public record Identity(String name, Set<Role> roles, java.util.Optional<String> authority) {

    public Identity {
        roles = Set.copyOf(roles);
        authority = authority == null ? java.util.Optional.empty() : authority;
    }

    /** Someone who acts for no particular authority (staff of the central authority). */
    public Identity(final String name, final Set<Role> roles) {
        this(name, roles, java.util.Optional.empty());
    }

    /** Whether this identity reads statuses only as an agency: for its own authority's requests. */
    public boolean agencyOnly() {
        return roles.contains(Role.AGENCY) && !mayAct(READERS);
    }

    /** The roles that read statuses, the queue and statistics. */
    static final Role[] READERS = {Role.VIEWER, Role.REVIEWER, Role.SUPERVISOR};
    /** The roles that see a pending request's subjects and record outcomes. */
    static final Role[] DECIDERS = {Role.REVIEWER, Role.SUPERVISOR};

    /** Whether this identity has one of {@code any}. */
    public boolean mayAct(final Role... any) {
        return Arrays.stream(any).anyMatch(roles::contains);
    }
}
