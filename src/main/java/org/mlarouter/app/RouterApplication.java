package org.mlarouter.app;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.mlarouter.topology.RouterTopology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running router: one {@link KafkaStreams} client over the router's topology. A stream thread that dies is
 * replaced (its task is re-initialized from the last commit, so under exactly-once nothing is lost or decided twice);
 * {@link #close()} waits for a clean shutdown.
 */
public final class RouterApplication implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RouterApplication.class);

    private final KafkaStreams streams;
    private final Topology topology;
    private final CountDownLatch running = new CountDownLatch(1);

    private RouterApplication(final KafkaStreams streams, final Topology topology) {
        this.streams = streams;
        this.topology = topology;
    }

    /** Builds the topology from the settings and starts a streams client on it. */
    public static RouterApplication start(final RouterSettings settings, final Clock clock) {
        final Topology topology = RouterTopology.build(settings.router(), clock);
        final KafkaStreams streams = new KafkaStreams(topology, settings.streamsProperties());
        final RouterApplication application = new RouterApplication(streams, topology);
        streams.setUncaughtExceptionHandler(exception -> {
            LOG.error("A stream thread failed; replacing it, its tasks resume from their last commit: {}", describe(exception));
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setStateListener((newState, oldState) -> {
            LOG.info("Router state {} -> {}", oldState, newState);
            if (newState == KafkaStreams.State.RUNNING) {
                application.running.countDown();
            }
        });
        streams.start();
        return application;
    }

    /** Waits until the client is RUNNING; false if it is not within the timeout. */
    public boolean awaitRunning(final Duration timeout) throws InterruptedException {
        return running.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public KafkaStreams streams() {
        return streams;
    }

    public Topology topology() {
        return topology;
    }

    /** Stops the client and leaves the consumer group, so a restart or another instance takes over without waiting for a session timeout. */
    @Override
    public void close() {
        if (!streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(60)))) {
            LOG.warn("The router did not stop within 60 s");
        }
    }

    private static String describe(final Throwable exception) {
        Throwable root = exception;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return exception.getClass().getSimpleName() + ": " + exception.getMessage()
                + (root != exception ? " (caused by " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")" : "");
    }
}
