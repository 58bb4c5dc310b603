package org.mlarouter.ops;

import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.streams.KafkaStreams;
import org.mlarouter.json.Json;

/** What the operator endpoint shows: the running router's state, health, metrics, topology, and its answers by request. */
public interface OperatorView {

    /** An answer: an HTTP status and a JSON body, written as text only by the endpoint. */
    record Answer(int status, JsonNode json) {

        /** A Confluent-style JSON error: {@code {"error_code": status, "message": ...}}. */
        public static Answer error(final int status, final String message) {
            return new Answer(status, Json.error(status, message));
        }

        /** As {@link #error(int, String)}, with the contract's reason code: {@code {"error_code", "reason", "message"}}. */
        public static Answer error(final int status, final String reason, final String message) {
            final com.fasterxml.jackson.databind.node.ObjectNode json = Json.error(status, message);
            json.put("reason", reason);
            return new Answer(status, json);
        }
    }

    KafkaStreams.State state();

    /** What keeps the router from deciding on current coverage, if anything. */
    Optional<String> problem();

    /** Every metric in the Prometheus text format. */
    String metrics();

    /** The topology description. */
    String topology();

    /**
     * Where a request stands (docs/contract.md), from whichever instance holds it.
     *
     * @param localOnly answer from this instance's stores only (the question came from another instance)
     */
    default Answer requestStatus(final String requestId, final boolean localOnly) {
        return Answer.error(404, "No request status here");
    }

    /** The requests pending review of every instance (or this one's only), as the query filters, orders and pages them. */
    default Answer pendingReviews(final ReviewQueueQuery query, final boolean localOnly) {
        return Answer.error(404, "No review queue here");
    }

    /** The console's overview (docs/console): rates per topic, state, decisions, review queue, coverage; no personal data. */
    default Answer overview() {
        return Answer.error(404, "No overview here");
    }

    /**
     * What a reviewer needs of a request pending review (states, measures, offence category), from whichever instance
     * holds it; with {@code withSubjects}, for a signed-in reviewer, its subjects too.
     */
    default Answer pendingDetails(final String requestId, final boolean withSubjects, final boolean localOnly) {
        return Answer.error(404, "No review queue here");
    }

    /**
     * An agency's request in the JSON form, written to the request topic (docs/contract.md, "Agencies over HTTPS"): 202
     * {@code RECEIVED}, or 200 with its first decision's status when it comes within {@code wait}; 400 naming the field,
     * 403 for another authority's request, 409 {@code DUPLICATE_REQUEST_ID}, 503 when Kafka does not take it.
     */
    default Answer submit(final byte[] body, final Identity agency, final java.time.Duration wait) {
        return Answer.error(404, "No intake here");
    }

    /** Replays a reason's dead letters (docs/contract.md, {@code dlq replay}) for a signed-in operator; each once. */
    default Answer replayDeadLetters(final boolean reviews, final String reason, final Optional<java.time.Instant> since, final String who) {
        return Answer.error(404, "No replay here");
    }

    /** Erases a request's personal data (its data key's tombstone), as {@code who}; answered with its status once applied here. */
    default Answer erase(final String requestId, final String who) {
        return Answer.error(404, "No erasure here");
    }

    /**
     * The treaty coverage of every counterpart, as it is: each instrument's title, type, status, kinds, measures, offence
     * categories, dates and source, and whether it is in force ({@code [{"counterpartState", "counterpartName",
     * "revision", "instruments": [...]}]}, by counterpart).
     */
    default Answer coverage() {
        return Answer.error(404, "No coverage here");
    }

    /** The statistics of the decision topics (docs/console, "Statistics"); no personal data. */
    default Answer statistics() {
        return Answer.error(404, "No statistics here");
    }

    /** One table of the statistics as CSV ({@code requests}, {@code times}, {@code overdue}); empty for another. */
    default Optional<String> statisticsCsv(final String table) {
        return Optional.empty();
    }

    /** What the dead-letter topics hold, by reason, step and source, with times; never content (docs/console). */
    default Answer deadLetters() {
        return Answer.error(404, "No dead letters here");
    }

    /** The instruments in force with a counterpart ({@code [{"id", "title"}]}), the choices of a legal basis. */
    default Answer instruments(final String counterpart) {
        return Answer.error(404, "No coverage here");
    }

    /**
     * Records a signed-in person's outcome (docs/contract.md, "Outcomes come from signed-in people only"): checked by the
     * review rules, written signed to the review topic, and answered once it was applied or held for confirmation.
     *
     * @param kind     DECISION (decision, grounds, legal basis), CONFIRMATION or RETURN (grounds) of a proposal held
     * @param reviewer the signed-in identity's staff id
     */
    default Answer review(final String requestId, final org.mlarouter.avro.OutcomeKind kind, final String decision, final String legalBasis,
                          final String reviewer, final String grounds) {
        return Answer.error(404, "No reviews here");
    }

    /**
     * A treaty table proposed by a signed-in supervisor ({@code POST /api/treaties}, docs/contract.md "Coverage changes"):
     * applied at once, or held for a second supervisor under {@code mla.treaties.four.eyes}.
     */
    default Answer proposeCoverage(final com.fasterxml.jackson.databind.JsonNode body, final String who) {
        return Answer.error(404, "No coverage changes here");
    }

    /** The coverage changes waiting for a supervisor's approval. */
    default Answer coverageProposals() {
        return Answer.error(404, "No coverage changes here");
    }

    /** A supervisor's approval or rejection of the change proposed for a counterpart. */
    default Answer decideCoverage(final String counterpart, final boolean approve, final String grounds, final String who) {
        return Answer.error(404, "No coverage changes here");
    }

    /** Every coverage change, oldest first; of one counterpart when {@code counterpart} is not null. */
    default Answer coverageHistory(final String counterpart) {
        return Answer.error(404, "No coverage changes here");
    }
}
