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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.serialization.Deserializer;
import org.mlarouter.avro.TreatyCoverage;
import org.mlarouter.serde.SchemaRegistryUnavailableException;
import org.mlarouter.treaty.CoverageValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The treaty coverage in force, by counterpart, decoded once per change: the global processor hands it each record of
 * the treaty topic as bytes ({@link #update}); stream threads read decoded records ({@link #inForce}) and never touch the
 * Schema Registry. A record is refused, and the coverage in force kept, when it fails {@link CoverageValidator}, names
 * another counterpart than its key, has a lower revision than the one held, or does not decode.
 *
 * <p>When the Schema Registry cannot be reached, a record waits in order instead of blocking the global thread: it is
 * retried with backoff on a thread of this book's own, the outage is logged once with the registry's URL and reported
 * by {@link #problem()} (so {@code /health/ready} says it), and a request for a counterpart with a waiting update is
 * not decided on the coverage it replaces: {@link #inForce} fails with a retriable error, so the task is retried rather
 * than the request dead-lettered. {@link #close()} stops the retry thread.
 */
public final class CoverageBook implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CoverageBook.class);
    private static final long FIRST_RETRY_MS = 500;
    private static final long MAX_RETRY_MS = 10_000;

    private final CoverageValidator validator;
    private final Deserializer<TreatyCoverage> deserializer;
    private final String topic;
    private final String registry;
    private final CoverageListener listener;
    private final DeadLetterListener deadLetters;
    private final Map<String, TreatyCoverage> byCounterpart = new ConcurrentHashMap<>();
    /** Records that could not be decoded for want of the registry, oldest first; guarded by {@code this}. */
    private final Deque<Waiting> waiting = new ArrayDeque<>();
    private volatile Set<String> waitingCounterparts = Set.of();
    private volatile String problem;
    private ScheduledExecutorService retries;
    private long retryMs = FIRST_RETRY_MS;

    /**
     * @param deserializer decodes coverage records as written on {@code topic}; fails at once, not after a wait, when
     *                     the registry cannot be reached
     * @param registry     the Schema Registry's URL, for the log and the health answer
     */
    public CoverageBook(final CoverageValidator validator, final Deserializer<TreatyCoverage> deserializer, final String topic,
                        final String registry, final CoverageListener listener, final DeadLetterListener deadLetters) {
        this.validator = validator;
        this.deserializer = deserializer;
        this.topic = topic;
        this.registry = registry;
        this.listener = listener;
        this.deadLetters = deadLetters;
    }

    private record Waiting(String counterpart, byte[] value, long offset) {
    }

    /**
     * The coverage in force for a counterpart, or null when there is none.
     *
     * @throws CoverageNotCurrentException while an update of this counterpart waits for the Schema Registry
     */
    public TreatyCoverage inForce(final String counterpart) {
        if (waitingCounterparts.contains(counterpart)) {
            throw new CoverageNotCurrentException("An update of the coverage of " + counterpart + " waits for the Schema Registry at "
                    + registry + "; the request is decided once it is applied");
        }
        return byCounterpart.get(counterpart);
    }

    /** Every counterpart's coverage in force. */
    public Map<String, TreatyCoverage> all() {
        return Map.copyOf(byCounterpart);
    }

    /** What keeps the coverage from being current (the registry cannot be reached), if anything. */
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    /** Applies one record of the treaty topic: its key, its value bytes (null for a tombstone) and its offset. */
    public synchronized void update(final String counterpart, final byte[] value, final long offset) {
        if (counterpart == null) {
            refuse("(no key)", List.of("a coverage record needs its counterpart's code as key"));
            return;
        }
        if (value == null) {
            waiting.removeIf(entry -> entry.counterpart.equals(counterpart));
            noteWaiting();
            byCounterpart.remove(counterpart);
            listener.onCoverageChange(counterpart, null);
            return;
        }
        if (!waiting.isEmpty()) {
            // Applied in order: a record may not overtake an earlier one that waits for the registry.
            waiting.addLast(new Waiting(counterpart, value, offset));
            noteWaiting();
            return;
        }
        if (!tryApply(new Waiting(counterpart, value, offset))) {
            waiting.addLast(new Waiting(counterpart, value, offset));
            noteWaiting();
            scheduleRetry();
        }
    }

    private void noteWaiting() {
        final Set<String> counterparts = new TreeSet<>();
        waiting.forEach(entry -> counterparts.add(entry.counterpart));
        waitingCounterparts = Set.copyOf(counterparts);
        if (problem != null && !counterparts.isEmpty()) {
            problem = "Schema Registry at " + registry + " cannot be reached: coverage updates of "
                    + String.join(", ", counterparts) + " wait for it";
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

    private synchronized void retryWaiting() {
        for (final Iterator<Waiting> next = waiting.iterator(); next.hasNext(); ) {
            if (!tryApply(next.next())) {
                noteWaiting();
                scheduleRetry();
                return;
            }
            next.remove();
        }
        noteWaiting();
        if (problem != null) {
            LOG.info("Schema Registry at {} answers again: the coverage updates that waited are applied", registry);
        }
        problem = null;
        retryMs = FIRST_RETRY_MS;
    }

    private void scheduleRetry() {
        if (retries == null) {
            retries = Executors.newSingleThreadScheduledExecutor(runnable -> {
                final Thread thread = new Thread(runnable, "mla-coverage-retry");
                thread.setDaemon(true);
                return thread;
            });
        }
        retries.schedule(this::retryWaiting, retryMs, TimeUnit.MILLISECONDS);
        retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
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

    @Override
    public synchronized void close() {
        if (retries != null) {
            retries.shutdownNow();
        }
    }

    /** A request cannot be decided yet: an update of its counterpart's coverage waits for the Schema Registry. */
    public static final class CoverageNotCurrentException extends SchemaRegistryUnavailableException {
        CoverageNotCurrentException(final String message) {
            super(message, null);
        }
    }
}
