package org.mlarouter.topology;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.StoreBuilder;
import org.mlarouter.avro.TreatyCoverage;
import org.mlarouter.treaty.CoverageValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The global store {@value RouterTopology#COVERAGE_STORE}: the treaty coverage in force by counterpart, decoded and
 * validated once per change. Its global processor ({@link CoverageUpdater}) hands it each record of the treaty topic as
 * bytes, live and when Kafka Streams rebuilds the store at start; the deciding processors read decoded records
 * ({@link #inForce}) and never touch the Schema Registry. A record is refused, and the coverage in force kept, when it
 * fails {@link CoverageValidator}, names another counterpart than its key, has a lower revision than the one held, or
 * does not decode.
 *
 * <p>When the Schema Registry cannot be reached, a record waits, in order, instead of blocking the global thread: the
 * counterpart's coverage is not {@link #current} (a request for it waits rather than being decided on the coverage being
 * replaced), {@link #problem()} says why (so {@code /health/ready} does), and the outage is logged once. The waiting
 * records are tried again before the next treaty record, and whenever {@link #retryWaiting()} is called: the running
 * router does so with backoff from a thread of its own, told of this store by {@link CoverageListener#onOpened}.
 *
 * <p>It is a store of Kafka Streams' (built by {@link #builder}, initialized and closed by it, rebuilt from the treaty
 * topic at each start) that keeps objects rather than bytes, so a decision reads a decoded record at the cost of a map
 * lookup. It is in memory and not logged: the treaty topic is its changelog.
 */
public final class CoverageStore implements StateStore {

    private static final Logger LOG = LoggerFactory.getLogger(CoverageStore.class);

    private final String name;
    private final CoverageValidator validator;
    private final Deserializer<TreatyCoverage> deserializer;
    private final String topic;
    private final String registry;
    private final Map<String, TreatyCoverage> byCounterpart = new ConcurrentHashMap<>();
    /** Records that could not be decoded for want of the registry, oldest first; guarded by {@code this}. */
    private final Deque<Waiting> waiting = new ArrayDeque<>();
    private volatile Set<String> waitingCounterparts = Set.of();
    private volatile String problem;
    private volatile boolean open;
    private CoverageListener listener = CoverageListener.NONE;
    private DeadLetterListener deadLetters = DeadLetterListener.NONE;

    /**
     * @param deserializer decodes coverage records as written on {@code topic}; fails at once, not after a wait, when
     *                     the registry cannot be reached
     * @param registry     the Schema Registry's URL, for the log and the health answer
     */
    CoverageStore(final String name, final CoverageValidator validator, final Deserializer<TreatyCoverage> deserializer, final String topic,
                  final String registry) {
        this.name = name;
        this.validator = validator;
        this.deserializer = deserializer;
        this.topic = topic;
        this.registry = registry;
    }

    private record Waiting(String counterpart, byte[] value, long offset) {
    }

    /** A builder of this store for Kafka Streams: a global store is never logged, and it keeps no cache. */
    static StoreBuilder<CoverageStore> builder(final String name, final CoverageValidator validator,
                                               final Deserializer<TreatyCoverage> deserializer, final String topic, final String registry) {
        return new StoreBuilder<>() {
            @Override
            public StoreBuilder<CoverageStore> withCachingEnabled() {
                throw new UnsupportedOperationException("The coverage store keeps decoded records; it has no cache");
            }

            @Override
            public StoreBuilder<CoverageStore> withCachingDisabled() {
                return this;
            }

            @Override
            public StoreBuilder<CoverageStore> withLoggingEnabled(final Map<String, String> config) {
                throw new UnsupportedOperationException("The coverage store is global: the treaty topic is its changelog");
            }

            @Override
            public StoreBuilder<CoverageStore> withLoggingDisabled() {
                return this;
            }

            @Override
            public CoverageStore build() {
                return new CoverageStore(name, validator, deserializer, topic, registry);
            }

            @Override
            public Map<String, String> logConfig() {
                return Map.of();
            }

            @Override
            public boolean loggingEnabled() {
                return false;
            }

            @Override
            public String name() {
                return name;
            }
        };
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void init(final StateStoreContext context, final StateStore root) {
        final RouterContext router = RouterContext.from(context.appConfigs());
        listener = router.coverage();
        deadLetters = router.deadLetters();
        // Kafka Streams rebuilds a global store by running the treaty topic through its processor again, not through
        // this callback; it must be given one all the same.
        context.register(root, (key, value) -> { });
        open = true;
        listener.onOpened(this);
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public synchronized void close() {
        open = false;
        byCounterpart.clear();
        waiting.clear();
        noteWaiting();
    }

    /**
     * The coverage in force for a counterpart, or null when there is none. While an update of the counterpart waits for
     * the Schema Registry this is the coverage it replaces: ask {@link #current} first.
     */
    public TreatyCoverage inForce(final String counterpart) {
        return byCounterpart.get(counterpart);
    }

    /** Whether the coverage of a counterpart is up to date: no update of it waits for the Schema Registry. */
    public boolean current(final String counterpart) {
        return !waitingCounterparts.contains(counterpart);
    }

    /** Every counterpart's coverage in force. */
    public Map<String, TreatyCoverage> all() {
        return Map.copyOf(byCounterpart);
    }

    /** What keeps the coverage from being current (the registry cannot be reached), if anything. */
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    /** Whether some records wait for the Schema Registry. */
    public boolean waiting() {
        return !waitingCounterparts.isEmpty();
    }

    /** Applies one record of the treaty topic: its key, its value bytes (null for a tombstone) and its offset. */
    synchronized void update(final String counterpart, final byte[] value, final long offset) {
        if (counterpart == null) {
            refuse("(no key)", List.of("a coverage record needs its counterpart's code as key"));
            return;
        }
        if (value == null) {
            waiting.removeIf(entry -> entry.counterpart.equals(counterpart));
            noteWaiting();
            byCounterpart.remove(counterpart);
            listener.onCoverageChange(counterpart, null);
            retryWaiting();
            return;
        }
        // Applied in order: a record may not overtake an earlier one that waits for the registry.
        waiting.addLast(new Waiting(counterpart, value, offset));
        retryWaiting();
    }

    /**
     * Tries the records that wait for the Schema Registry again, in order, until one still cannot be decoded; does nothing
     * when none waits. The registry is asked on the calling thread (it fails at once when it cannot be reached).
     *
     * @return whether records still wait
     */
    public synchronized boolean retryWaiting() {
        if (waiting.isEmpty()) {
            return false;
        }
        final boolean wasBlocked = problem != null;
        for (final Iterator<Waiting> next = waiting.iterator(); next.hasNext(); ) {
            if (!tryApply(next.next())) {
                noteWaiting();
                return true;
            }
            next.remove();
        }
        noteWaiting();
        if (wasBlocked) {
            LOG.info("Schema Registry at {} answers again: the coverage updates that waited are applied", registry);
        }
        problem = null;
        return false;
    }

    private void noteWaiting() {
        final Set<String> counterparts = new TreeSet<>();
        waiting.forEach(entry -> counterparts.add(entry.counterpart));
        waitingCounterparts = Set.copyOf(counterparts);
        if (problem != null && !counterparts.isEmpty()) {
            problem = "Schema Registry at " + registry + " cannot be reached: coverage updates of "
                    + String.join(", ", counterparts) + " wait for it";
        } else if (counterparts.isEmpty()) {
            problem = null;
        }
    }

    /** Decodes and applies a record; false when the registry cannot be reached (nothing changed). */
    private boolean tryApply(final Waiting record) {
        final TreatyCoverage coverage;
        try {
            coverage = deserializer.deserialize(topic, record.value);
        } catch (final RuntimeException e) {
            if (RegistryOutage.causes(e)) {
                if (problem == null) {
                    LOG.warn("Schema Registry at {} cannot be reached ({}): the coverage update of {} ({}@{}) and any after it wait;"
                            + " the coverage in force stays", registry, rootMessage(e), record.counterpart, topic, record.offset);
                }
                problem = "Schema Registry at " + registry + " cannot be reached";
                return false;
            }
            LOG.warn("Skipping an undecodable coverage record {}@{} for {}; the coverage in force is kept: {}",
                    topic, record.offset, record.counterpart, e.getMessage());
            deadLetters.onDeadLetter(topic, DeadLetterReason.of(e, DeadLetterReason.UNDECODABLE));
            return true;
        }
        final List<String> problems = new ArrayList<>(validator.problems(coverage));
        if (!record.counterpart.equals(coverage.getCounterpartState())) {
            problems.add("the key " + record.counterpart + " is not the record's counterpartState " + coverage.getCounterpartState());
        }
        final TreatyCoverage held = byCounterpart.get(record.counterpart);
        if (held != null && coverage.getRevision() < held.getRevision()) {
            problems.add("revision " + coverage.getRevision() + " is older than the revision " + held.getRevision() + " in force");
        }
        if (problems.isEmpty()) {
            byCounterpart.put(record.counterpart, coverage);
            listener.onCoverageChange(record.counterpart, coverage);
        } else {
            refuse(record.counterpart, problems);
        }
        return true;
    }

    private void refuse(final String counterpart, final List<String> problems) {
        LOG.warn("Refused a coverage record for {}; the coverage in force is kept: {}", counterpart, String.join("; ", problems));
        listener.onCoverageRefused(counterpart);
    }

    private static String rootMessage(final Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage();
    }
}
