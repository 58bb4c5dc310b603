package org.mlarouter.runtime;

import java.util.Optional;
import java.util.function.Supplier;

import org.apache.kafka.streams.KafkaStreams;
import org.mlarouter.ops.OperatorView;
import org.mlarouter.ops.RouterMetrics;
import org.mlarouter.serde.RegistryHealth;
import org.mlarouter.topology.CoverageBook;

/** The operator endpoint's view of the running router; answers about requests once the streams client exists. */
final class RouterView implements OperatorView {

    private final Supplier<KafkaStreams> streams;
    private final CoverageBook coverage;
    private final RouterMetrics metrics;
    private volatile RequestQueries queries;
    private volatile String topology = "";

    RouterView(final Supplier<KafkaStreams> streams, final CoverageBook coverage, final RouterMetrics metrics) {
        this.streams = streams;
        this.coverage = coverage;
        this.metrics = metrics;
    }

    void answer(final RequestQueries requestQueries) {
        this.queries = requestQueries;
    }

    @Override
    public KafkaStreams.State state() {
        final KafkaStreams client = streams.get();
        return client == null ? KafkaStreams.State.CREATED : client.state();
    }

    @Override
    public Optional<String> problem() {
        return coverage.problem().or(RegistryHealth::problem);
    }

    @Override
    public String metrics() {
        return metrics.scrape();
    }

    @Override
    public String topology() {
        return topology;
    }

    /** Set by the wiring once the topology is built. */
    void topology(final String description) {
        this.topology = description;
    }

    @Override
    public Answer requestStatus(final String requestId, final boolean localOnly) {
        final RequestQueries now = queries;
        return now == null ? Answer.error(503, "The router is starting") : now.requestStatus(requestId, localOnly);
    }

    @Override
    public Answer pendingReviews(final boolean localOnly) {
        final RequestQueries now = queries;
        return now == null ? Answer.error(503, "The router is starting") : now.pendingReviews(localOnly);
    }
}
