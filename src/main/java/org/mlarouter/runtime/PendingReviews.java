package org.mlarouter.runtime;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.mlarouter.avro.AssistanceRequest;
import org.mlarouter.avro.Reason;
import org.mlarouter.avro.RoutingDecision;
import org.mlarouter.config.RouterConfig;
import org.mlarouter.json.Json;
import org.mlarouter.ops.OperatorView.Answer;
import org.mlarouter.ops.ReviewQueueQuery;
import org.mlarouter.topology.Decided;
import org.mlarouter.topology.RequestStatus;
import org.mlarouter.topology.RouterTopology;

/**
 * The review queue of every instance (docs/contract.md, "Status of a request"): each instance reads its own pending
 * reviews from its stores and keeps those that pass the query's filters; the instance asked gathers them, orders them
 * and cuts the page. An entry carries what a reviewer triages by, none of it personal data: when the request was
 * received, the requesting authority, kind, offence category, urgency, counterpart and its name, the deadline and the
 * days left to it in the home state's time zone ({@code mla.home.zone}).
 */
final class PendingReviews {

    /** A review pending on this instance, as the queue shows it. */
    record Pending(String requestId, String counterpartState, AssistanceRequest request, Instant pendingSince, Instant deadline,
                   boolean overdue, List<String> reasons, RequestStatus.ProposalEntry proposal, RequestStatus.CoverageChange coverageChanged) {
    }

    private final RequestQueries queries;
    private final RouterConfig config;
    private final ZoneId zone;
    private final Clock clock;
    private final Function<String, String> counterpartName;

    /** @param counterpartName a counterpart's name in its coverage, or null when it has none */
    PendingReviews(final RequestQueries queries, final RouterConfig config, final Function<String, String> counterpartName, final Clock clock) {
        this.queries = queries;
        this.config = config;
        this.zone = config.homeZone();
        this.counterpartName = counterpartName;
        this.clock = clock;
    }

    /** The queue of every instance (or this one's only), as {@code query} asks for it. */
    Answer answer(final ReviewQueueQuery query, final boolean localOnly) {
        final KafkaStreams client = queries.client();
        if (client == null) {
            return Answer.error(503, "The router is starting");
        }
        final List<JsonNode> entries = new ArrayList<>();
        try {
            final LocalDate today = LocalDate.now(clock.withZone(zone));
            for (final Pending entry : local(client)) {
                final ObjectNode json = json(entry, today);
                if (query.matches(json)) {
                    entries.add(json);
                }
            }
        } catch (final InvalidStateStoreException e) {
            return Answer.error(503, "The review queue is not ready here; ask again shortly");
        }
        if (!localOnly) {
            for (final StreamsMetadata other : client.metadataForAllStreamsClients()) {
                if (!queries.isSelf(other.hostInfo())) {
                    final Answer theirs = queries.remote(other.hostInfo(), "/reviews" + query.filtersOnly().queryString());
                    if (theirs.status() != 200) {
                        return theirs;
                    }
                    if (!theirs.json().isArray()) {
                        return Answer.error(502, "Instance " + other.hostInfo() + " answered what is not a review queue");
                    }
                    theirs.json().forEach(entries::add);
                }
            }
        }
        return new Answer(200, query.answer(entries));
    }

    /** Pending reviews held by this instance, oldest first; empty while its stores are not queryable. */
    List<Pending> local(final KafkaStreams client) {
        final ReadOnlyKeyValueStore<String, Decided> pendingById = RequestQueries.store(client, RouterTopology.PENDING_REVIEWS_STORE, null);
        final ReadOnlyKeyValueStore<String, RequestStatus> statusById = RequestQueries.store(client, RouterTopology.REQUEST_STATUS_STORE, null);
        final List<Pending> pending = new ArrayList<>();
        try (KeyValueIterator<String, Decided> entries = pendingById.all()) {
            while (entries.hasNext()) {
                final KeyValue<String, Decided> entry = entries.next();
                final RoutingDecision decision = entry.value.decision();
                final RequestStatus status = statusById.get(entry.key);
                final List<String> reasons = new ArrayList<>();
                for (final Reason reason : decision.getReasons()) {
                    reasons.add(reason.getCode().name());
                }
                pending.add(new Pending(entry.key, decision.getCounterpartState(), decision.getRequest(), decision.getDecidedAt(),
                        decision.getDecidedAt().plus(config.reviewDeadline(decision.getRequest().getUrgency())),
                        status != null && status.overdue(), reasons, status == null ? null : status.proposal(),
                        status == null ? null : status.coverageChanged()));
            }
        }
        pending.sort(Comparator.comparing(Pending::pendingSince));
        return pending;
    }

    /** Pending reviews on this instance by counterpart, for the metrics. */
    static Map<String, Long> countByCounterpart(final List<Pending> pending) {
        final Map<String, Long> counts = new TreeMap<>();
        pending.forEach(entry -> counts.merge(entry.counterpartState(), 1L, Long::sum));
        return counts;
    }

    private ObjectNode json(final Pending entry, final LocalDate today) {
        final AssistanceRequest request = entry.request();
        final LocalDate deadline = entry.deadline().atZone(zone).toLocalDate();
        final ObjectNode node = Json.object().put("requestId", entry.requestId()).put("counterpartState", entry.counterpartState())
                .put("counterpartName", counterpartName.apply(entry.counterpartState()))
                .put("kind", request.getKind().name()).put("urgency", request.getUrgency().name())
                .put("requestingAuthority", request.getRequestingAuthority()).put("offenceCategory", request.getOffence().getCategory().name())
                .put("receivedAt", request.getSubmittedAt().toString())
                .put("receivedDate", request.getSubmittedAt().atZone(zone).toLocalDate().toString()).put("pendingSince", entry.pendingSince().toString())
                .put("deadline", entry.deadline().toString()).put("deadlineDate", deadline.toString()).put("timeZone", zone.getId())
                .put("daysLeft", ChronoUnit.DAYS.between(today, deadline)).put("overdue", entry.overdue());
        final ArrayNode reasons = node.putArray("reasons");
        entry.reasons().forEach(reasons::add);
        final RequestStatus.CoverageChange changed = entry.coverageChanged();
        if (changed == null) {
            node.putNull("coverageChanged");
        } else {
            // What the counterpart's coverage now gives: codes as in "reasons", since when in the home zone too.
            final Instant since = Instant.ofEpochMilli(changed.since());
            final ObjectNode change = node.putObject("coverageChanged").put("route", changed.route()).put("legalBasis", changed.legalBasis());
            final ArrayNode codes = change.putArray("reasons");
            changed.reasons().forEach(reason -> codes.add(reason.code()));
            change.put("coverageRevision", changed.coverageRevision()).put("since", since.toString())
                    .put("sinceDate", since.atZone(zone).toLocalDate().toString());
        }
        if (entry.proposal() == null) {
            node.putNull("awaitingConfirmation");
        } else {
            // Four-eyes: what awaits a second supervisor, and whose proposal it is.
            node.putObject("awaitingConfirmation").put("decision", entry.proposal().decision()).put("proposedBy", entry.proposal().reviewer())
                    .put("proposedAt", Instant.ofEpochMilli(entry.proposal().reviewedAt()).toString());
        }
        return node;
    }
}
