package org.mlarouter.ops;

import java.util.Arrays;
import java.util.Set;

/** Who a call comes from, once signed in: the name recorded on what they do, and their roles. */
public record Identity(String name, Set<Role> roles) {

    public Identity {
        roles = Set.copyOf(roles);
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
