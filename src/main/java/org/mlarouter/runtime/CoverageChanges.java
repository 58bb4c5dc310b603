package org.mlarouter.runtime;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.mlarouter.avro.TreatyCoverage;
import org.mlarouter.clients.Clients;
import org.mlarouter.clients.CoverageChangeLog;
import org.mlarouter.clients.CoverageChangeLog.Change;
import org.mlarouter.clients.CoverageChangeLog.State;
import org.mlarouter.clients.TreatyPublisher;
import org.mlarouter.config.RouterSettings;
import org.mlarouter.config.TopicRole;
import org.mlarouter.json.AvroJson;
import org.mlarouter.json.Json;
import org.mlarouter.ops.OperatorView.Answer;
import org.mlarouter.treaty.TreatyTable;
import org.mlarouter.treaty.TreatyTableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Coverage changes made through the router, by signed-in people ({@code /api/treaties}): a treaty table proposed with a
 * note, applied at once or, with {@code mla.treaties.four.eyes}, held until a supervisor other than its proposer approves
 * it; the record of every change ({@link CoverageChangeLog}) per counterpart. The coverage compared with is the router's
 * own (its global store), so what a proposal changes is what the router would apply. One change at a time per instance.
 */
final class CoverageChanges implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CoverageChanges.class);
    /** A change is answered within about 15 s: a broker that does not take it in that time gets a 503. */
    private static final Map<String, Object> TIMEOUTS = Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000,
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);

    private final RouterSettings settings;
    private final Clock clock;
    private final Supplier<Map<String, TreatyCoverage>> current;
    private final CoverageChangeLog log;
    private final TreatyPublisher publisher;
    private KafkaProducer<String, TreatyCoverage> coverageProducer;
    private KafkaProducer<byte[], byte[]> changeProducer;

    /** @param current the coverage the router applies now, by counterpart */
    CoverageChanges(final RouterSettings settings, final Clock clock, final Supplier<Map<String, TreatyCoverage>> current) {
        this.settings = settings;
        this.clock = clock;
        this.current = current;
        this.log = new CoverageChangeLog(settings.router().topic(TopicRole.TREATY_CHANGES));
        this.publisher = new TreatyPublisher(settings.router().topic(TopicRole.TREATIES), clock);
    }

    /**
     * {@code POST /api/treaties} {@code {"note": TEXT, "coverage": [TreatyCoverage...]}}: the counterparts that differ from
     * the coverage applied, applied (or proposed, under four-eyes) with {@code who} as their author.
     */
    synchronized Answer propose(final JsonNode body, final String who) {
        final String note = body.path("note").asText("").strip();
        if (note.isEmpty()) {
            return Answer.error(422, "INVALID_CHANGE", "note: say why the coverage changes (it is kept with the change)");
        }
        if (!body.path("coverage").isArray()) {
            return Answer.error(400, "INVALID_CHANGE", "coverage: must be a JSON array of TreatyCoverage objects");
        }
        final TreatyTable table;
        try {
            table = TreatyTable.parse("coverage", body.path("coverage").toString(), settings.router().homeState());
        } catch (final TreatyTableException e) {
            return Answer.error(400, "INVALID_CHANGE", e.getMessage());
        }
        final Map<String, TreatyCoverage> applied = current.get();
        final TreatyPublisher.Summary summary = publisher.changes(table, applied, who, note);
        final boolean fourEyes = settings.router().treatiesFourEyes();
        final List<Change> changes = new ArrayList<>();
        for (final TreatyCoverage next : summary.coverages) {
            changes.add(new Change(next.getCounterpartState(), fourEyes ? State.PROPOSED : State.APPLIED, next.getRevision(), who, note, null, null,
                    clock.instant(), CoverageChangeLog.differences(applied.get(next.getCounterpartState()), next), AvroJson.toJson(next)));
        }
        try {
            if (!fourEyes) {
                publisher.publish(coverageProducer(), summary.coverages);
            }
            log.write(changeProducer(), changes);
        } catch (final RuntimeException e) {
            return Answer.error(503, "The change could not be written: " + e.getMessage());
        }
        LOG.info("Coverage {} by {}: {}; unchanged: {}", fourEyes ? "proposed" : "changed", who, summary.published, summary.unchanged.size());
        final ObjectNode answer = Json.object();
        answer.set(fourEyes ? "proposed" : "applied", strings(summary.published));
        answer.set(fourEyes ? "applied" : "proposed", Json.MAPPER.createArrayNode());
        answer.set("unchanged", strings(summary.unchanged));
        answer.set("changes", json(changes));
        return new Answer(200, answer);
    }

    /** {@code GET /api/treaties/proposals}: the proposals waiting for a supervisor, oldest counterpart first. */
    synchronized Answer proposals() {
        return read().map(changes -> new Answer(200, json(List.copyOf(CoverageChangeLog.pending(changes).values()))))
                .orElseGet(CoverageChanges::unreadable);
    }

    /** {@code GET /api/treaties/history[?counterpart=CC]}: every change, oldest first. */
    synchronized Answer history(final String counterpart) {
        return read().map(changes -> new Answer(200, json(changes.stream()
                        .filter(change -> counterpart == null || change.counterpartState().equalsIgnoreCase(counterpart)).toList())))
                .orElseGet(CoverageChanges::unreadable);
    }

    /**
     * {@code POST /api/treaties/{cc}/approve} and {@code .../reject}: a supervisor's decision on the proposal waiting for
     * {@code counterpart}. An approval applies it, naming proposer and approver; its proposer may reject (withdraw) it but
     * not approve it; a proposal overtaken by another change of the counterpart cannot be approved.
     */
    synchronized Answer decide(final String counterpart, final boolean approve, final String grounds, final String who) {
        final java.util.Optional<List<Change>> changes = read();
        if (changes.isEmpty()) {
            return unreadable();
        }
        final Change proposal = CoverageChangeLog.pending(changes.get()).get(counterpart.toUpperCase(java.util.Locale.ROOT));
        if (proposal == null) {
            return Answer.error(409, "NO_PROPOSAL", "No coverage change of " + counterpart + " waits for approval");
        }
        if (approve && who.equals(proposal.proposedBy())) {
            return Answer.error(403, "OWN_PROPOSAL", who + " proposed this change: a supervisor other than the proposer approves it");
        }
        if (!approve && (grounds == null || grounds.isBlank())) {
            return Answer.error(422, "INVALID_CHANGE", "grounds: say why the change is rejected");
        }
        final TreatyCoverage applied = current.get().get(proposal.counterpartState());
        if (approve && applied != null && applied.getRevision() >= proposal.revision()) {
            return Answer.error(409, "STALE_PROPOSAL", "The coverage of " + counterpart + " is at revision " + applied.getRevision()
                    + " since this proposal of revision " + proposal.revision() + ": propose the change again");
        }
        final Change decided = proposal.decided(approve ? State.APPROVED : State.REJECTED, who, approve ? null : grounds.strip(), clock.instant());
        try {
            if (approve) {
                final TreatyCoverage coverage = proposal.coverage(who);
                coverage.setUpdatedAt(decided.at());
                publisher.publish(coverageProducer(), List.of(coverage));
            }
            log.write(changeProducer(), List.of(decided));
        } catch (final RuntimeException e) {
            return Answer.error(503, "The decision could not be written: " + e.getMessage());
        }
        LOG.info("Coverage change of {} (revision {}) proposed by {} {} by {}", decided.counterpartState(), decided.revision(),
                decided.proposedBy(), approve ? "approved and applied" : "rejected", who);
        return new Answer(200, decided.toJson());
    }

    private java.util.Optional<List<Change>> read() {
        try (KafkaConsumer<byte[], byte[]> consumer = new Clients(settings).rawConsumer()) {
            return java.util.Optional.of(log.read(consumer));
        } catch (final RuntimeException e) {
            LOG.warn("The treaty changes on {} cannot be read: {}", log.topic(), e.getMessage());
            return java.util.Optional.empty();
        }
    }

    private static Answer unreadable() {
        return Answer.error(503, "The treaty changes cannot be read now; ask again shortly");
    }

    private static ArrayNode strings(final List<String> values) {
        final ArrayNode array = Json.MAPPER.createArrayNode();
        values.forEach(array::add);
        return array;
    }

    private static ArrayNode json(final List<Change> changes) {
        final ArrayNode array = Json.MAPPER.createArrayNode();
        changes.forEach(change -> array.add(change.toJson()));
        return array;
    }

    private KafkaProducer<String, TreatyCoverage> coverageProducer() {
        if (coverageProducer == null) {
            coverageProducer = new Clients(settings).producer(TreatyCoverage.class, TIMEOUTS);
        }
        return coverageProducer;
    }

    private KafkaProducer<byte[], byte[]> changeProducer() {
        if (changeProducer == null) {
            changeProducer = new Clients(settings).rawProducer("treaty-changes", TIMEOUTS);
        }
        return changeProducer;
    }

    @Override
    public synchronized void close() {
        if (coverageProducer != null) {
            coverageProducer.close(java.time.Duration.ofSeconds(5));
        }
        if (changeProducer != null) {
            changeProducer.close(java.time.Duration.ofSeconds(5));
        }
    }
}
