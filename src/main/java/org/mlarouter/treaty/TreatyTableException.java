package org.mlarouter.treaty;

import java.util.List;

/** A treaty table that cannot be used; the message names the file, each entry concerned, and the problem. */
public final class TreatyTableException extends RuntimeException {

    private final List<String> problems;

    public TreatyTableException(final String source, final List<String> problems) {
        super(source + ": " + (problems.size() == 1 ? problems.get(0) : problems.size() + " problems:\n  " + String.join("\n  ", problems)));
        this.problems = List.copyOf(problems);
    }

    /** Each problem, prefixed with the entry it concerns. */
    public List<String> problems() {
        return problems;
    }
}
