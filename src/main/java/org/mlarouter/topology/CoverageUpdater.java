package org.mlarouter.topology;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.mlarouter.avro.TreatyCoverage;
import org.mlarouter.treaty.CoverageValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the global coverage store in step with the treaty topic, refusing what would make it wrong: a coverage record
 * that fails {@link CoverageValidator}, names another counterpart than its key, or has a lower revision than the one
 * held. A refused record never replaces a good one; it is logged and counted. A tombstone removes its counterpart.
 *
 * <p>Kafka Streams runs every treaty record through this processor, live and when it rebuilds the store at start
 * (KAFKA-7663), so a bad record is refused on every instance and after every restart alike.
 */
final class CoverageUpdater implements Processor<String, TreatyCoverage, Void, Void> {

    private static final Logger LOG = LoggerFactory.getLogger(CoverageUpdater.class);

    private final CoverageValidator validator;
    private final CoverageListener listener;
    private final CoverageCache cache;
    private KeyValueStore<String, TreatyCoverage> coverageByCountry;

    CoverageUpdater(final CoverageValidator validator, final CoverageListener listener, final CoverageCache cache) {
        this.validator = validator;
        this.listener = listener;
        this.cache = cache;
    }

    @Override
    public void init(final ProcessorContext<Void, Void> context) {
        coverageByCountry = context.getStateStore(RouterTopology.COVERAGE_STORE);
    }

    @Override
    public void process(final Record<String, TreatyCoverage> record) {
        final String counterpart = record.key();
        if (counterpart == null) {
            refuse("(no key)", List.of("a coverage record needs its counterpart's code as key"));
            return;
        }
        final TreatyCoverage coverage = record.value();
        if (coverage == null) {
            coverageByCountry.delete(counterpart);
            cache.invalidate(counterpart);
            listener.onCoverageChange(counterpart, null);
            return;
        }
        final List<String> problems = new ArrayList<>(validator.problems(coverage));
        if (!counterpart.equals(coverage.getCounterpartState())) {
            problems.add("the key " + counterpart + " is not the record's counterpartState " + coverage.getCounterpartState());
        }
        final TreatyCoverage held = coverageByCountry.get(counterpart);
        if (held != null && coverage.getRevision() < held.getRevision()) {
            problems.add("revision " + coverage.getRevision() + " is older than the revision " + held.getRevision() + " in force");
        }
        if (!problems.isEmpty()) {
            refuse(counterpart, problems);
            return;
        }
        coverageByCountry.put(counterpart, coverage);
        cache.invalidate(counterpart);
        listener.onCoverageChange(counterpart, coverage);
    }

    private void refuse(final String counterpart, final List<String> problems) {
        LOG.warn("Refused a coverage record for {}; the coverage in force is kept: {}", counterpart, String.join("; ", problems));
        listener.onCoverageRefused(counterpart);
    }
}
