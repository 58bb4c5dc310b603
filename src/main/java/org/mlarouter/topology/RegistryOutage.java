package org.mlarouter.topology;

import org.mlarouter.serde.SchemaRegistryUnavailableException;

/** Tells a failure caused by an unreachable Schema Registry, which is no fault of the record, from a bad record. */
final class RegistryOutage {

    private RegistryOutage() {
    }

    static boolean causes(final Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SchemaRegistryUnavailableException) {
                return true;
            }
            if (cause == cause.getCause()) {
                break;
            }
        }
        return false;
    }
}
