package org.mlarouter.topology;

import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.mlarouter.avro.AssistanceRequest;
import org.mlarouter.avro.RoutingDecision;
import org.mlarouter.avro.TreatyCoverage;
import org.mlarouter.policy.RoutingPolicy;

/**
 * Looks up the coverage of a request's counterpart in the global coverage store (through the instance's
 * {@link CoverageCache}) and applies the routing policy.
 */
final class DecideProcessor implements FixedKeyProcessor<String, AssistanceRequest, RoutingDecision> {

    private final RoutingPolicy policy;
    private final CoverageCache cache;
    private FixedKeyProcessorContext<String, RoutingDecision> context;
    private ReadOnlyKeyValueStore<String, TreatyCoverage> coverageByCountry;

    DecideProcessor(final RoutingPolicy policy, final CoverageCache cache) {
        this.policy = policy;
        this.cache = cache;
    }

    @Override
    public void init(final FixedKeyProcessorContext<String, RoutingDecision> context) {
        this.context = context;
        this.coverageByCountry = context.getStateStore(RouterTopology.COVERAGE_STORE);
    }

    @Override
    public void process(final FixedKeyRecord<String, AssistanceRequest> record) {
        final AssistanceRequest request = record.value();
        final TreatyCoverage coverage = policy.counterpartOf(request).map(counterpart -> cache.get(counterpart, coverageByCountry)).orElse(null);
        context.forward(record.withValue(policy.decide(request, coverage)));
    }
}
