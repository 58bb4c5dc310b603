package org.mlarouter.topology;

import org.mlarouter.avro.TreatyCoverage;

/**
 * Told when the coverage store opens, of each change to the coverage in force, and of each coverage record refused: for
 * metrics, the health answer and the retry of records that wait for the Schema Registry. It reaches the store in the
 * {@link RouterContext}.
 */
public interface CoverageListener {

    /** A listener that does nothing. */
    CoverageListener NONE = new CoverageListener() {
    };

    /** Kafka Streams has opened the coverage store (at each start, before it fills it from the treaty topic). */
    default void onOpened(final CoverageStore store) {
    }

    /** The coverage of a counterpart is now {@code coverage}, or removed when it is null. */
    default void onCoverageChange(final String counterpart, final TreatyCoverage coverage) {
    }

    /** A coverage record for a counterpart (or "(no key)") was refused; the coverage in force is unchanged. */
    default void onCoverageRefused(final String counterpart) {
    }
}
