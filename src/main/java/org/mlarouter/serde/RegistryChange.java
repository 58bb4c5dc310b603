package org.mlarouter.serde;

/**
 * A change to an {@link InMemorySchemaRegistry}, in the order it happened: what a journal records and replays to bring
 * the registry back after a restart.
 */
public sealed interface RegistryChange permits RegistryChange.Registered, RegistryChange.Deleted, RegistryChange.Configured {

    /** A new version. */
    record Registered(RegisteredSchema version) implements RegistryChange {
    }

    /** A version soft-deleted, or permanently deleted. */
    record Deleted(String subject, int version, boolean permanent) implements RegistryChange {
    }

    /** A compatibility level set (or, when null, a subject's own removed); {@code subject} null for the global one. */
    record Configured(String subject, CompatibilityLevel level) implements RegistryChange {
    }
}
