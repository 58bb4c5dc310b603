package org.mlarouter.topology;

import java.time.Clock;
import java.util.Map;

/**
 * What a running router gives its topology's processors, through the Streams configuration under {@link #CONFIG}: the
 * clock decisions are dated by, the partition count of the input topics (asked of the broker at start; where a request
 * id belongs is computed from it), and the listeners that count decisions, coverage changes and dead letters. The
 * topology itself is built from the router's configuration alone ({@link RouterTopology#build}); each processor reads
 * this when Kafka Streams initializes it. Without one (tests, {@code describe}), the system clock, one partition and
 * listeners that do nothing.
 */
public record RouterContext(Clock clock, int inputPartitions, DecisionListener decisions, CoverageListener coverage,
                            DeadLetterListener deadLetters) {

    /** The Streams configuration key under which the running router passes its context (an object, not a string). */
    public static final String CONFIG = "mla.router.context";

    /** The context of a topology run without a router around it. */
    public static final RouterContext NONE = new RouterContext(Clock.systemUTC(), 1, DecisionListener.NONE, CoverageListener.NONE,
            DeadLetterListener.NONE);

    public RouterContext {
        if (inputPartitions < 1) {
            throw new IllegalArgumentException("The input topics' partition count must be at least 1, not " + inputPartitions);
        }
    }

    /** The context in a processor's or handler's configuration ({@code appConfigs()}), or {@link #NONE}. */
    public static RouterContext from(final Map<String, ?> configs) {
        final Object context = configs.get(CONFIG);
        return context instanceof RouterContext given ? given : NONE;
    }

    public RouterContext withClock(final Clock newClock) {
        return new RouterContext(newClock, inputPartitions, decisions, coverage, deadLetters);
    }
}
