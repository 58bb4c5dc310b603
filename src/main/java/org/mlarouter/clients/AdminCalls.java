package org.mlarouter.clients;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/** Runs a Kafka admin call and turns its failure into one clear exception saying what could not be done. */
public final class AdminCalls {

    private AdminCalls() {
    }

    /** An admin call: a future's {@code get} with a timeout. */
    @FunctionalInterface
    public interface AdminCall<T> {
        T call() throws InterruptedException, ExecutionException, TimeoutException;
    }

    /**
     * The call's result.
     *
     * @param what what the call does, for the message: "list topics"
     * @throws IllegalStateException naming {@code what} and the cause when the cluster refuses or does not answer
     */
    public static <T> T call(final String what, final AdminCall<T> call) throws InterruptedException {
        try {
            return call.call();
        } catch (final ExecutionException e) {
            throw new IllegalStateException("Cannot " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (final TimeoutException e) {
            throw new IllegalStateException("Cannot " + what + ": the Kafka cluster did not answer in time");
        }
    }
}
