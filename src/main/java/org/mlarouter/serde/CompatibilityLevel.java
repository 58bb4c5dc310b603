package org.mlarouter.serde;

import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/** The Schema Registry's compatibility levels, and the check each one makes of a new schema against earlier ones. */
public enum CompatibilityLevel {
    NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE;

    /**
     * Whether {@code candidate} may be registered after {@code earlier} (oldest first).
     *
     * @return the problems found, empty if compatible
     */
    public List<String> problems(final Schema candidate, final List<Schema> earlier) {
        if (this == NONE || earlier.isEmpty()) {
            return List.of();
        }
        final boolean transitive = name().endsWith("_TRANSITIVE");
        final List<Schema> against = transitive ? earlier : List.of(earlier.get(earlier.size() - 1));
        final boolean backward = this != FORWARD && this != FORWARD_TRANSITIVE;
        final boolean forward = this != BACKWARD && this != BACKWARD_TRANSITIVE;
        final java.util.ArrayList<String> problems = new java.util.ArrayList<>();
        for (final Schema previous : against) {
            if (backward) {
                describe(SchemaCompatibility.checkReaderWriterCompatibility(candidate, previous), "new schema cannot read data written with an earlier one", problems);
            }
            if (forward) {
                describe(SchemaCompatibility.checkReaderWriterCompatibility(previous, candidate), "an earlier schema cannot read data written with the new one", problems);
            }
        }
        return problems;
    }

    private static void describe(final SchemaCompatibility.SchemaPairCompatibility result, final String what,
                                 final List<String> problems) {
        if (result.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            for (final SchemaCompatibility.Incompatibility incompatibility : result.getResult().getIncompatibilities()) {
                problems.add(what + ": " + incompatibility.getType() + " at " + incompatibility.getLocation()
                        + " (" + incompatibility.getMessage() + ")");
            }
        }
    }
}
