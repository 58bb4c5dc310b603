package org.mlarouter.topology;

import org.mlarouter.avro.TreatyCoverage;

/** Told of each change to the coverage in force, and of each coverage record refused, for metrics and logs. */
public interface CoverageListener {

    /** A listener that does nothing. */
    CoverageListener NONE = new CoverageListener() {
    };

    /** The coverage of a counterpart is now {@code coverage}, or removed when it is null. */
    default void onCoverageChange(final String counterpart, final TreatyCoverage coverage) {
    }

    /** A coverage record for a counterpart (or "(no key)") was refused; the coverage in force is unchanged. */
    default void onCoverageRefused(final String counterpart) {
    }
}
