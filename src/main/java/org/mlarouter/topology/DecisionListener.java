package org.mlarouter.topology;

import org.mlarouter.avro.RoutingDecision;

/**
 * Told of every decision as the topology makes it, for metrics. Called on the stream thread: it must be quick and
 * must not throw. Under exactly-once, a decision in a transaction that is later aborted and redone is told twice.
 */
@FunctionalInterface
public interface DecisionListener {

    /** A listener that does nothing. */
    DecisionListener NONE = decision -> { };

    void onDecision(RoutingDecision decision);
}
