package org.mlarouter.runtime;

import java.util.Optional;
import java.util.function.Supplier;

import org.apache.kafka.streams.KafkaStreams;
import org.mlarouter.ops.OperatorView;
import org.mlarouter.ops.RouterMetrics;
import org.mlarouter.policy.ReviewRules;
import org.mlarouter.serde.RegistryHealth;

/** The operator endpoint's view of the running router; answers about requests once the streams client exists. */
final class RouterView implements OperatorView {

    private final Supplier<KafkaStreams> streams;
    private final CoverageWatch coverage;
    private final RouterMetrics metrics;
    private volatile RequestQueries queries;
    private volatile PendingReviews pending;
    private volatile ConsoleOverview overview;
    private volatile ReviewWriter reviews;
    private volatile Eraser eraser;
    private volatile RequestIntake intake;
    private volatile DeadLetterReplays replays;
    private volatile CoverageChanges coverageChanges;
    private volatile String topology = "";
    /** Today in the home state's zone: instruments' dates are read on it. */
    private final Supplier<java.time.LocalDate> today;

    RouterView(final Supplier<KafkaStreams> streams, final CoverageWatch coverage, final RouterMetrics metrics, final Supplier<java.time.LocalDate> today) {
        this.streams = streams;
        this.coverage = coverage;
        this.metrics = metrics;
        this.today = today;
    }

    void answer(final RequestQueries requestQueries, final PendingReviews pendingReviews) {
        this.queries = requestQueries;
        this.pending = pendingReviews;
    }

    /** Set by the wiring when the operator endpoint serves the console. */
    void console(final ConsoleOverview consoleOverview, final ReviewWriter reviewWriter, final Eraser personalDataEraser) {
        this.overview = consoleOverview;
        this.reviews = reviewWriter;
        this.eraser = personalDataEraser;
    }

    /** Set by the wiring when the operator endpoint takes agencies' requests, dead-letter replays and coverage changes. */
    void intake(final RequestIntake requestIntake, final DeadLetterReplays deadLetterReplays, final CoverageChanges changes) {
        this.intake = requestIntake;
        this.replays = deadLetterReplays;
        this.coverageChanges = changes;
    }

    @Override
    public Answer proposeCoverage(final com.fasterxml.jackson.databind.JsonNode body, final String who) {
        final CoverageChanges now = coverageChanges;
        return now == null ? Answer.error(404, "No coverage changes here") : now.propose(body, who);
    }

    @Override
    public Answer coverageProposals() {
        final CoverageChanges now = coverageChanges;
        return now == null ? Answer.error(404, "No coverage changes here") : now.proposals();
    }

    @Override
    public Answer decideCoverage(final String counterpart, final boolean approve, final String grounds, final String who) {
        final CoverageChanges now = coverageChanges;
        return now == null ? Answer.error(404, "No coverage changes here") : now.decide(counterpart, approve, grounds, who);
    }

    @Override
    public Answer coverageHistory(final String counterpart) {
        final CoverageChanges now = coverageChanges;
        return now == null ? Answer.error(404, "No coverage changes here") : now.history(counterpart);
    }

    @Override
    public Answer replayDeadLetters(final boolean reviews, final String reason, final Optional<java.time.Instant> since, final String who) {
        final DeadLetterReplays now = replays;
        return now == null ? Answer.error(404, "No replay here") : now.replay(reviews, reason, since, who);
    }

    @Override
    public Answer submit(final byte[] body, final org.mlarouter.ops.Identity agency, final java.time.Duration wait) {
        final RequestIntake now = intake;
        return now == null ? Answer.error(404, "No intake here") : now.submit(body, agency.name(), agency.authority(), wait,
                id -> requestStatus(id, false));
    }

    @Override
    public Answer erase(final String requestId, final String who) {
        final Eraser now = eraser;
        return now == null ? Answer.error(404, "No erasure here") : now.erase(requestId, who, () -> requestStatus(requestId, false));
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
    public Answer instruments(final String counterpart) {
        final com.fasterxml.jackson.databind.node.ArrayNode choices = org.mlarouter.json.Json.MAPPER.createArrayNode();
        final org.mlarouter.avro.TreatyCoverage inForce = coverage.inForce(counterpart);
        if (inForce != null) {
            inForce.getInstruments().forEach(instrument -> choices.addObject().put("id", instrument.getId()).put("title", instrument.getTitle()));
        }
        return new Answer(200, choices);
    }

    @Override
    public Answer statistics() {
        final ConsoleOverview now = overview;
        return now == null ? Answer.error(404, "No statistics here") : now.statistics();
    }

    @Override
    public Optional<String> statisticsCsv(final String table) {
        final ConsoleOverview now = overview;
        return now == null ? Optional.empty() : Optional.ofNullable(now.statisticsCsv(table));
    }

    @Override
    public Answer deadLetters() {
        final ConsoleOverview now = overview;
        return now == null ? Answer.error(404, "No dead letters here") : now.deadLetters();
    }

    @Override
    public Answer coverage() {
        final com.fasterxml.jackson.databind.node.ArrayNode counterparts = org.mlarouter.json.Json.MAPPER.createArrayNode();
        final java.time.LocalDate day = today.get();
        new java.util.TreeMap<>(coverage.all()).forEach((counterpart, inForce) -> {
            final com.fasterxml.jackson.databind.node.ObjectNode entry = org.mlarouter.json.AvroJson.toJson(inForce);
            // In force today, as the policy reads the dates; "standing" says when a date makes the difference.
            final java.util.Iterator<org.mlarouter.avro.Instrument> instruments = inForce.getInstruments().iterator();
            entry.withArray("instruments").forEach(instrument -> {
                final org.mlarouter.avro.Instrument read = instruments.next();
                ((com.fasterxml.jackson.databind.node.ObjectNode) instrument).put("inForce", org.mlarouter.policy.InForce.inForce(read, day))
                        .put("standing", org.mlarouter.policy.InForce.on(read, day).name());
            });
            counterparts.add(entry);
        });
        return new Answer(200, counterparts);
    }

    @Override
    public Answer pendingReviews(final org.mlarouter.ops.ReviewQueueQuery query, final boolean localOnly) {
        final PendingReviews now = pending;
        return now == null ? Answer.error(503, "The router is starting") : now.answer(query, localOnly);
    }

    @Override
    public Answer overview() {
        final ConsoleOverview now = overview;
        if (now == null) {
            return Answer.error(404, "No overview here");
        }
        final Answer answer = now.json(streams.get(), state(), problem(), pendingReviews(org.mlarouter.ops.ReviewQueueQuery.OLDEST, false),
                metrics.registry());
        ((com.fasterxml.jackson.databind.node.ObjectNode) answer.json()).set("coverage", coverage().json());
        return answer;
    }

    @Override
    public Answer pendingDetails(final String requestId, final boolean withSubjects, final boolean localOnly) {
        final RequestQueries now = queries;
        return now == null ? Answer.error(503, "The router is starting") : now.pendingDetails(requestId, withSubjects, localOnly);
    }

    @Override
    public Answer review(final String requestId, final org.mlarouter.avro.OutcomeKind kind, final String decision, final String legalBasis,
                         final String reviewer, final String grounds) {
        final ReviewWriter writer = reviews;
        return writer == null ? Answer.error(404, "No reviews here")
                : writer.write(requestId, kind, decision, legalBasis, reviewer, grounds, () -> requestStatus(requestId, false),
                        counterpart -> ReviewRules.instrumentIds(coverage.inForce(counterpart)));
    }
}
