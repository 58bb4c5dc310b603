package org.mlarouter.serde;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The registry's compatibility levels: the global one (BACKWARD by default) and each subject's own. Not thread-safe:
 * {@link InMemorySchemaRegistry} guards it with its lock.
 */
final class CompatibilityLevels {

    private final Map<String, CompatibilityLevel> bySubject = new HashMap<>();
    private CompatibilityLevel global = CompatibilityLevel.BACKWARD;

    /** The level in force for a subject: its own, or the global one. */
    CompatibilityLevel of(final String subject) {
        return bySubject.getOrDefault(subject, global);
    }

    Optional<CompatibilityLevel> ofSubjectOnly(final String subject) {
        return Optional.ofNullable(bySubject.get(subject));
    }

    CompatibilityLevel global() {
        return global;
    }

    /** Applies a change of level: the global one (no subject), a subject's, or removes a subject's (no level). */
    void apply(final RegistryChange.Configured configured) {
        if (configured.subject() == null) {
            global = configured.level();
        } else if (configured.level() == null) {
            bySubject.remove(configured.subject());
        } else {
            bySubject.put(configured.subject(), configured.level());
        }
    }

    /** A subject deleted for good forgets its level. */
    void forget(final String subject) {
        bySubject.remove(subject);
    }
}
