package org.mlarouter.policy;

import java.util.Collection;

import org.mlarouter.avro.ReasonCode;
import org.mlarouter.avro.Route;

/**
 * How severe each reason is, and so which route a set of reasons leads to: REFUSED over NEEDS_REVIEW over ACCEPTED.
 */
public final class Severity {

    private Severity() {
    }

    /** The route a single reason would lead to on its own. */
    public static Route routeOf(final ReasonCode code) {
        switch (code) {
            case COVERED:
                return Route.ACCEPTED;
            case NO_LEGAL_BASIS:
            case PERSECUTION_RISK:
            case TRANSFER_CONDITION_NOT_MET:
                return Route.REFUSED;
            default:
                return Route.NEEDS_REVIEW;
        }
    }

    /** The most severe route among the given reasons; ACCEPTED when there are none. */
    public static Route mostSevere(final Collection<ReasonCode> codes) {
        Route route = Route.ACCEPTED;
        for (final ReasonCode code : codes) {
            final Route candidate = routeOf(code);
            if (rank(candidate) > rank(route)) {
                route = candidate;
            }
        }
        return route;
    }

    private static int rank(final Route route) {
        switch (route) {
            case REFUSED:
                return 2;
            case NEEDS_REVIEW:
                return 1;
            default:
                return 0;
        }
    }
}
