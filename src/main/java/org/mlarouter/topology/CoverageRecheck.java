package org.mlarouter.topology;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.streams.KeyValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.mlarouter.avro.RoutingDecision;
import org.mlarouter.avro.TreatyCoverage;
import org.mlarouter.policy.InForce;
import org.mlarouter.policy.RoutingPolicy;

/**
 * Decides again, on the coverage in force, the requests of a task pending review whose counterpart's coverage changed
 * (docs/contract.md, "Coverage over time"): a new revision, a removal, or one of its dates arriving. Nothing becomes
 * final: when the new decision differs from the one the request's status shows (its route, reason codes or legal basis;
 * a detail alone is no difference), the status gains it as {@code coverageChanged} (and the change is counted); when it
 * decides as first decided again, {@code coverageChanged} is cleared.
 *
 * <p>Run by the review desk each second on its task's stores. It remembers, per counterpart, the revision and how each
 * instrument stands on the day ({@link InForce#fingerprint}) when it last looked, and reads the pending store only
 * when one of them moved; after a start it has seen nothing, so it looks at every pending request once. The statuses
 * are in the task's changelogged store, so another instance taking the task over, or a restart, finds them as they were.
 */
final class CoverageRecheck {

    private static final Logger LOG = LoggerFactory.getLogger(CoverageRecheck.class);

    private final RoutingPolicy policy;
    private final CoverageStore coverage;
    private final KeyValueStore<String, Decided> pendingById;
    private final KeyValueStore<String, RequestStatus> statusById;
    private final DecisionListener listener;
    private final Clock clock;
    /** Per counterpart, its revision and fingerprint when last looked at ("none" once its coverage was removed). */
    private final Map<String, String> seen = new HashMap<>();
    private boolean started;

    CoverageRecheck(final RoutingPolicy policy, final CoverageStore coverage, final KeyValueStore<String, Decided> pendingById,
                    final KeyValueStore<String, RequestStatus> statusById, final DecisionListener listener, final Clock clock) {
        this.policy = policy;
        this.coverage = coverage;
        this.pendingById = pendingById;
        this.statusById = statusById;
        this.listener = listener;
        this.clock = clock;
    }

    /** What was decided again by one look. */
    record Result(int decidedAgain, int changed, int cleared) {
        static final Result NOTHING = new Result(0, 0, 0);
    }

    /** Looks for coverage that changed since the last look, and decides its counterparts' pending requests again. */
    Result run() {
        final LocalDate today = LocalDate.ofInstant(clock.instant(), policy.homeZone());
        final Set<String> moved = new HashSet<>();
        final Map<String, TreatyCoverage> all = coverage.all();
        for (final Map.Entry<String, TreatyCoverage> entry : all.entrySet()) {
            if (!coverage.current(entry.getKey())) {
                continue; // an update waits for the Schema Registry: look once it is applied
            }
            final String mark = entry.getValue().getRevision() + ":" + InForce.fingerprint(entry.getValue(), today);
            if (!mark.equals(seen.put(entry.getKey(), mark))) {
                moved.add(entry.getKey());
            }
        }
        for (final Map.Entry<String, String> entry : seen.entrySet()) {
            if (!all.containsKey(entry.getKey()) && coverage.current(entry.getKey()) && !"none".equals(entry.getValue())) {
                entry.setValue("none");
                moved.add(entry.getKey());
            }
        }
        if (moved.isEmpty() && started) {
            return Result.NOTHING;
        }
        final boolean everything = !started;
        started = true;
        return decideAgain(everything, moved, today);
    }

    private Result decideAgain(final boolean everything, final Set<String> counterparts, final LocalDate today) {
        // Decided while reading, kept only where a status changes (its id and the change), applied after the read: with
        // 100,000 requests pending, what is held is the changes, not the requests.
        final List<KeyValue<String, RequestStatus.CoverageChange>> updates = new ArrayList<>();
        final Map<String, Instant> sinceByCounterpart = new HashMap<>();
        int affected = 0;
        int changed = 0;
        int cleared = 0;
        try (KeyValueIterator<String, Decided> pending = pendingById.all()) {
            while (pending.hasNext()) {
                final KeyValue<String, Decided> entry = pending.next();
                final RoutingDecision decision = entry.value.decision();
                final String counterpart = decision.getCounterpartState();
                if (!(everything || counterparts.contains(counterpart)) || !coverage.current(counterpart)) {
                    continue;
                }
                final RequestStatus status = statusById.get(entry.key);
                if (status == null || !status.pendingReview()) {
                    continue;
                }
                affected++;
                final TreatyCoverage current = coverage.inForce(counterpart);
                final RoutingDecision again = policy.decide(decision.getRequest(), current);
                final RequestStatus.CoverageChange shown = status.coverageChanged();
                if (status.says(again)) {
                    if (shown != null) {
                        updates.add(KeyValue.pair(entry.key, null));
                        cleared++;
                    }
                } else if (shown == null || !shown.says(again)) {
                    final Instant since = current == null ? again.getDecidedAt()
                            : sinceByCounterpart.computeIfAbsent(counterpart, cc -> InForce.appliesSince(current, today, policy.homeZone()));
                    updates.add(KeyValue.pair(entry.key, RequestStatus.CoverageChange.of(again, since)));
                    listener.onCoverageChanged(counterpart);
                    changed++;
                }
            }
        }
        for (final KeyValue<String, RequestStatus.CoverageChange> update : updates) {
            statusById.put(update.key, statusById.get(update.key).withCoverageChanged(update.value));
        }
        if (changed + cleared > 0) {
            LOG.info("Decided {} pending request(s) of {} again on the coverage in force on {}: {} now decided differently, {} as first decided again",
                    affected, everything ? "every counterpart" : String.join(", ", new java.util.TreeSet<>(counterparts)), today, changed, cleared);
        }
        return new Result(affected, changed, cleared);
    }
}
