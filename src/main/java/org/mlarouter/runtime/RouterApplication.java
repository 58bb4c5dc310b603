package org.mlarouter.runtime;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.HostInfo;
import org.mlarouter.config.RouterConfig;
import org.mlarouter.config.RouterSettings;
import org.mlarouter.ops.OperatorSecurity;
import org.mlarouter.net.Ports;
import org.mlarouter.ops.OperatorServer;
import org.mlarouter.ops.RouterMetrics;
import org.mlarouter.topology.RouterContext;
import org.mlarouter.topology.RouterTopology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running router, and the one place that wires it ({@link #start}): the metrics and the coverage watch, the
 * topology, one {@link KafkaStreams} client over it, the operator HTTP endpoint (whose address is the client's
 * {@code application.server} for interactive queries), then the client is started; and the shutdown hook
 * ({@link #serveUntilStopped}). Everything is opened in that order and closed in the reverse one; a start that fails
 * closes what it had opened.
 *
 * <p>A stream thread that dies is replaced (its tasks resume from the last commit, so under exactly-once nothing is
 * lost or decided twice). {@code run} and the embedded stack both start the router here.
 */
public final class RouterApplication implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RouterApplication.class);

    private final KafkaStreams streams;
    private final Topology topology;
    private final RouterMetrics metrics;
    private final OperatorServer operatorServer;
    private final Deque<AutoCloseable> opened;
    private final CountDownLatch running;
    private final CountDownLatch failed;
    private final String processingGuarantee;

    private RouterApplication(final Wiring wiring) {
        this.streams = wiring.streams;
        this.topology = wiring.topology;
        this.metrics = wiring.metrics;
        this.operatorServer = wiring.operatorServer;
        this.opened = wiring.opened;
        this.running = wiring.running;
        this.failed = wiring.failed;
        this.processingGuarantee = wiring.processingGuarantee;
    }

    /**
     * Wires the router from its settings and starts it, step by step; on failure, closes what it had opened (newest
     * first) and rethrows.
     */
    public static RouterApplication start(final RouterSettings settings, final Clock clock) throws Exception {
        final Wiring wiring = new Wiring(settings, clock);
        try {
            wiring.openMetricsAndCoverage();
            wiring.buildTopology();
            wiring.createStreamsClient();
            wiring.openOperatorEndpoint();
            wiring.startStreams();
            return new RouterApplication(wiring);
        } catch (final Exception | Error e) {
            closeAll(wiring.opened);
            throw e;
        }
    }

    /** The steps of {@link #start}, and what they have opened so far, newest first in {@code opened}. */
    private static final class Wiring {
        final RouterSettings settings;
        final RouterConfig config;
        final Clock clock;
        final Deque<AutoCloseable> opened = new ArrayDeque<>();
        final CountDownLatch running = new CountDownLatch(1);
        final CountDownLatch failed = new CountDownLatch(1);
        final AtomicReference<KafkaStreams> started = new AtomicReference<>();
        final OperatorSecurity security;
        RouterMetrics metrics;
        CoverageWatch coverage;
        RouterView view;
        Topology topology;
        /** This instance's operator endpoint, as other instances reach it; null when it is turned off. */
        HostInfo self;
        RequestQueries queries;
        PendingReviews pendingReviews;
        KafkaStreams streams;
        OperatorServer operatorServer;
        String processingGuarantee;

        Wiring(final RouterSettings settings, final Clock clock) {
            this.settings = settings;
            this.config = settings.router();
            this.clock = clock;
            this.security = OperatorSecurity.of(config);
            config.outcomeSignature(); // no router without its signing key: one line at start if it is missing or unreadable
            config.keyEncryptionKeys(); // nor, in encrypted mode, without its key-encryption keys
        }

        <T extends AutoCloseable> T open(final T resource) {
            opened.push(resource);
            return resource;
        }

        void openMetricsAndCoverage() {
            metrics = open(new RouterMetrics().deadLettersFrom(config.topic(org.mlarouter.config.TopicRole.REQUESTS)));
            coverage = open(new CoverageWatch(metrics));
            view = new RouterView(started::get, coverage, metrics, () -> java.time.LocalDate.now(clock.withZone(config.homeZone())));
        }

        /** The topology, from the configuration alone. */
        void buildTopology() {
            topology = RouterTopology.build(config);
            view.topology(topology.describe().toString());
        }

        /**
         * The streams client, its {@code application.server} the operator endpoint's address (other instances ask this one
         * there), with the handlers that replace a failed stream thread after a backoff and follow its state.
         */
        void createStreamsClient() throws java.net.UnknownHostException, InterruptedException {
            final Properties properties = settings.streamsProperties(RouterTopology.requiredStreamsConfig(config));
            if (config.httpPort() >= 0) {
                // The port is chosen now (a free one for port 0), so the client knows it before the endpoint binds it.
                self = new HostInfo(advertisedHost(config.httpHost()), config.httpPort() == 0 ? Ports.free() : config.httpPort());
                properties.putIfAbsent(StreamsConfig.APPLICATION_SERVER_CONFIG, self.host() + ":" + self.port());
            }
            queries = new RequestQueries(started::get, self, config, security);
            pendingReviews = new PendingReviews(queries, config, counterpart -> {
                final org.mlarouter.avro.TreatyCoverage inForce = coverage.inForce(counterpart);
                return inForce == null ? null : inForce.getCounterpartName();
            }, clock);
            view.answer(queries, pendingReviews);
            // What the processors read when Kafka Streams initializes them; the partition count is asked of the broker.
            properties.put(RouterContext.CONFIG, new RouterContext(clock, InputTopics.partitions(settings), metrics, coverage, metrics));
            settings.ignoredByStreamsProtocol().forEach((key, groupConfig) -> LOG.warn(
                    "{} is ignored under group.protocol=streams: the broker holds it per group; set {} on group {} instead", key, groupConfig,
                    settings.applicationId()));
            processingGuarantee = String.valueOf(properties.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
            final KafkaStreams client = new KafkaStreams(topology, properties);
            streams = client;
            open(() -> close(client, settings.staticMembership()));
            final ReplacementBackoff backoff = new ReplacementBackoff(Clock.systemUTC(), config.replacementBackoffInitial(), config.replacementBackoffMax());
            client.setUncaughtExceptionHandler(exception -> {
                final Duration wait = backoff.onFailure();
                LOG.error("A stream thread failed; replacing it in {} s, its tasks resume from their last commit: {}", wait.toSeconds(),
                        describe(exception));
                try {
                    // The failing thread waits, so that a failure that is no record's fault does not become a storm
                    // of thread replacements and rebalances.
                    Thread.sleep(wait.toMillis());
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return StreamThreadExceptionResponse.REPLACE_THREAD;
            });
            client.setStateListener((newState, oldState) -> {
                LOG.info("Router state {} -> {}", oldState, newState);
                if (newState == KafkaStreams.State.RUNNING && running.getCount() > 0) {
                    // Bound once RUNNING, so that the stores' metrics exist and register at once (Micrometer looks
                    // for new Kafka metrics only once a minute).
                    metrics.bind(client);
                    metrics.reviewQueue(() -> {
                        final List<PendingReviews.Pending> pending = pendingReviews.local(client);
                        return new RouterMetrics.ReviewQueue(PendingReviews.countByCounterpart(pending),
                                pending.stream().map(PendingReviews.Pending::pendingSince).findFirst());
                    });
                    running.countDown();
                }
                if (newState == KafkaStreams.State.ERROR) {
                    LOG.error("The router has stopped for good (Kafka Streams client in state ERROR); the process should be restarted");
                    failed.countDown();
                }
            });
        }

        /** The operator endpoint (unless turned off), with the console's overview and review writer. */
        void openOperatorEndpoint() {
            if (self == null) {
                return;
            }
            operatorServer = open(OperatorServer.start(config.httpHost(), self.port(), view, security));
            if (config.httpMetricsPort() >= 0) {
                final OperatorServer metricsOnly = open(OperatorServer.startMetricsOnly(config.httpMetricsPort(), view));
                LOG.info("Metrics without sign-in at {}/metrics (loopback only)", metricsOnly.url());
            }
            view.console(open(new ConsoleOverview(settings, () -> view.state() == KafkaStreams.State.RUNNING)), open(new ReviewWriter(settings, clock)),
                    open(new Eraser(settings)));
            view.intake(open(new RequestIntake(settings)), new DeadLetterReplays(settings), open(new CoverageChanges(settings, clock, coverage::all)));
        }

        void startStreams() {
            started.set(streams);
            streams.start();
        }
    }

    /** The address other instances reach this one's operator endpoint at. */
    private static String advertisedHost(final String httpHost) throws java.net.UnknownHostException {
        return "0.0.0.0".equals(httpHost) || "::".equals(httpHost) ? java.net.InetAddress.getLocalHost().getHostName() : httpHost;
    }

    /** Waits until the client is RUNNING; false if it is not within the timeout. */
    public boolean awaitRunning(final Duration timeout) throws InterruptedException {
        return running.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Counted down when the client reaches ERROR: it will process nothing more, and the process should exit. */
    public CountDownLatch failure() {
        return failed;
    }

    /**
     * Serves until the process is asked to stop (Ctrl-C, SIGTERM), the calling thread is interrupted, or the router fails
     * for good; then closes {@code whole} (this router, or a stack that holds it) before the JVM may exit.
     *
     * @return true when it ended because the router failed for good
     */
    public boolean serveUntilStopped(final AutoCloseable whole) throws Exception {
        return Shutdown.awaitThen(failed, whole::close);
    }

    /** {@code exactly_once_v2} unless configured otherwise. */
    public String processingGuarantee() {
        return processingGuarantee;
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

    /** Closes everything in the reverse order of opening; the streams client leaves its group (see {@link #close(KafkaStreams)}). */
    @Override
    public void close() {
        closeAll(opened);
    }

    /**
     * Stops the client. A dynamic member leaves its group, so that a restart or another instance takes over without
     * waiting for a session timeout. A static member ({@code group.instance.id}) stays, as Kafka 4.4's
     * {@code CloseOptions.DEFAULT} does for it under both protocols (KIP-1284): it keeps its tasks through a restart
     * within the session timeout, which is what static membership is for.
     */
    private static void close(final KafkaStreams streams, final boolean staticMember) {
        final CloseOptions.GroupMembershipOperation membership = staticMember
                ? CloseOptions.GroupMembershipOperation.DEFAULT : CloseOptions.GroupMembershipOperation.LEAVE_GROUP;
        if (!streams.close(CloseOptions.groupMembershipOperation(membership).withTimeout(Duration.ofSeconds(60)))) {
            LOG.warn("The router did not stop within 60 s");
        }
    }

    private static void closeAll(final Deque<AutoCloseable> opened) {
        while (!opened.isEmpty()) {
            final AutoCloseable resource = opened.pop();
            try {
                resource.close();
            } catch (final Exception e) {
                LOG.warn("Closing {} failed: {}", resource.getClass().getSimpleName(), e.toString());
            }
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
