package org.mlarouter.topology;

import org.mlarouter.avro.RoutingDecision;

/**
 * Told of every decision as the topology makes it, for metrics. Called on the stream thread: it must be quick and
 * must not throw. Final decisions (after a review) carry their {@code review}. Under exactly-once, a decision in a transaction that is later aborted and redone is told twice.
 */
@FunctionalInterface
public interface DecisionListener {

    /** A listener that does nothing. */
    DecisionListener NONE = decision -> { };

    void onDecision(RoutingDecision decision);

    /** A review passed its deadline; its pending decision went to the overdue topic. */
    default void onOverdue(final RoutingDecision pending) {
    }

    /**
     * A request pending review of {@code counterpart} was decided again on new coverage and the decision differs from the
     * one its status showed (docs/contract.md, "Coverage over time").
     */
    default void onCoverageChanged(final String counterpart) {
    }
}
