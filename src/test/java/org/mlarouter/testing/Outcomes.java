package org.mlarouter.testing;

import java.time.Instant;

import org.mlarouter.avro.ReviewOutcome;
import org.mlarouter.avro.Route;

/** Review outcomes built in tests. */
public final class Outcomes {

    private Outcomes() {
    }

    /** A reviewer's outcome for {@code requestId}, with grounds and no legal basis. */
    public static ReviewOutcome.Builder of(final String requestId, final Route decision) {
        return ReviewOutcome.newBuilder()
                .setRequestId(requestId)
                .setDecision(decision)
                .setLegalBasis(null)
                .setReviewer("PG-REVIEWER-07")
                .setGrounds("Reciprocity confirmed by the central authority")
                .setReviewedAt(Instant.parse("2026-11-23T12:00:00Z"));
    }
}
