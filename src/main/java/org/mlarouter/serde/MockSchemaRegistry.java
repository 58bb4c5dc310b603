package org.mlarouter.serde;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-memory registries behind {@code mock://<scope>} URLs, one per scope, as in Confluent's serializers: every
 * serde configured with the same scope in one JVM shares one registry; different scopes never see each other's
 * schemas, so each test takes a fresh scope.
 */
public final class MockSchemaRegistry {

    /** The URL scheme that selects an in-memory registry. */
    public static final String SCHEME = "mock://";

    private static final Map<String, InMemorySchemaRegistry> REGISTRIES_BY_SCOPE = new ConcurrentHashMap<>();

    private MockSchemaRegistry() {
    }

    /** The registry of a scope, created on first use. */
    public static InMemorySchemaRegistry forScope(final String scope) {
        return REGISTRIES_BY_SCOPE.computeIfAbsent(scope, ignored -> new InMemorySchemaRegistry(SCHEME + scope));
    }

    /** Forgets a scope and its schemas. */
    public static void dropScope(final String scope) {
        REGISTRIES_BY_SCOPE.remove(scope);
    }
}
