package org.mlarouter.topology;

/**
 * What a step of the topology made of a record: the value to go on with, or the dead letter it became. The topology
 * splits on it, so every rejection is a named branch into a dead-letter sink rather than an exception.
 */
record Verdict<T>(T value, DeadLetter deadLetter) {

    static <T> Verdict<T> pass(final T value) {
        return new Verdict<>(value, null);
    }

    static <T> Verdict<T> reject(final DeadLetter deadLetter) {
        return new Verdict<>(null, deadLetter);
    }

    boolean rejected() {
        return deadLetter != null;
    }
}
