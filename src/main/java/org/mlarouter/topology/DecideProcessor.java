package org.mlarouter.topology;

import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.mlarouter.avro.AssistanceRequest;
import org.mlarouter.avro.RoutingDecision;
import org.mlarouter.avro.TreatyCoverage;
import org.mlarouter.policy.RoutingPolicy;

/** Takes the coverage of a request's counterpart from the {@link CoverageBook} (decoded already) and applies the routing policy. */
final class DecideProcessor implements FixedKeyProcessor<String, Verdict<Placed<AssistanceRequest>>, Decided> {

    private final RoutingPolicy policy;
    private final CoverageBook coverage;
    private FixedKeyProcessorContext<String, Decided> context;

    DecideProcessor(final RoutingPolicy policy, final CoverageBook coverage) {
        this.policy = policy;
        this.coverage = coverage;
    }

    @Override
    public void init(final FixedKeyProcessorContext<String, Decided> context) {
        this.context = context;
    }

    @Override
    public void process(final FixedKeyRecord<String, Verdict<Placed<AssistanceRequest>>> record) {
        final Placed<AssistanceRequest> placed = record.value().value(); // a request that passed the duplicate check
        final AssistanceRequest request = placed.value();
        final TreatyCoverage inForce = policy.counterpartOf(request).map(coverage::inForce).orElse(null);
        context.forward(record.withValue(new Decided(policy.decide(request, inForce), placed.body())));
    }
}
