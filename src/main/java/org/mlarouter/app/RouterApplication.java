package org.mlarouter.app;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.mlarouter.ops.OperatorServer;
import org.mlarouter.ops.RouterMetrics;
import org.mlarouter.topology.DeadLetterListener;
import org.mlarouter.topology.RouterConfig;
import org.mlarouter.topology.RouterTopology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running router, and the one place that wires it: the topology, one {@link KafkaStreams} client over it, the
 * metrics (decisions and dead letters from the topology and its handlers, the client's own metrics) and the operator
 * HTTP endpoint. A stream thread that dies is replaced (its tasks resume from the last commit, so under exactly-once
 * nothing is lost or decided twice); {@link #close()} stops everything and leaves the consumer group.
 */
public final class RouterApplication implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RouterApplication.class);

    private final KafkaStreams streams;
    private final Topology topology;
    private final RouterMetrics metrics;
    private final OperatorServer operatorServer;
    private final CountDownLatch running = new CountDownLatch(1);
    private final CountDownLatch failed = new CountDownLatch(1);

    private RouterApplication(final RouterSettings settings, final Clock clock) throws IOException {
        metrics = new RouterMetrics();
        topology = RouterTopology.build(settings.router(), clock, metrics, metrics);
        final Properties properties = settings.streamsProperties();
        properties.put(DeadLetterListener.CONFIG, metrics);
        streams = new KafkaStreams(topology, properties);
        streams.setUncaughtExceptionHandler(exception -> {
            LOG.error("A stream thread failed; replacing it, its tasks resume from their last commit: {}", describe(exception));
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setStateListener((newState, oldState) -> {
            LOG.info("Router state {} -> {}", oldState, newState);
            if (newState == KafkaStreams.State.RUNNING) {
                running.countDown();
            }
            if (newState == KafkaStreams.State.ERROR) {
                LOG.error("The router has stopped for good (Kafka Streams client in state ERROR); the process should be restarted");
                failed.countDown();
            }
        });
        metrics.bind(streams);
        final RouterConfig config = settings.router();
        OperatorServer server = null;
        if (config.httpPort() >= 0) {
            try {
                server = OperatorServer.start(config.httpHost(), config.httpPort(), streams::state, metrics::scrape,
                        topology.describe().toString());
            } catch (final IOException | RuntimeException e) {
                metrics.close();
                streams.close(Duration.ZERO);
                throw e;
            }
        }
        operatorServer = server;
    }

    /** Builds the topology from the settings, starts a streams client on it and the operator endpoint. */
    public static RouterApplication start(final RouterSettings settings, final Clock clock) throws IOException {
        final RouterApplication application = new RouterApplication(settings, clock);
        application.streams.start();
        return application;
    }

    /** Waits until the client is RUNNING; false if it is not within the timeout. */
    public boolean awaitRunning(final Duration timeout) throws InterruptedException {
        return running.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Counted down when the client reaches ERROR: it will process nothing more, and the process should exit. */
    public CountDownLatch failure() {
        return failed;
    }

    public KafkaStreams streams() {
        return streams;
    }

    public Topology topology() {
        return topology;
    }

    public RouterMetrics metrics() {
        return metrics;
    }

    /** The operator endpoint's URL, unless it is turned off. */
    public Optional<URI> operatorUrl() {
        return Optional.ofNullable(operatorServer).map(OperatorServer::url);
    }

    /** Stops the client and leaves the consumer group, so a restart or another instance takes over without waiting for a session timeout. */
    @Override
    public void close() {
        if (!streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(60)))) {
            LOG.warn("The router did not stop within 60 s");
        }
        if (operatorServer != null) {
            operatorServer.close();
        }
        metrics.close();
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
