package org.mlarouter.topology;

import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/** Tells the {@link DecisionListener} of the {@link RouterContext} of each decision, first or final, and passes it on. */
final class CountDecision implements FixedKeyProcessor<String, Decided, Decided> {

    private FixedKeyProcessorContext<String, Decided> context;
    private DecisionListener listener;

    @Override
    public void init(final FixedKeyProcessorContext<String, Decided> context) {
        this.context = context;
        this.listener = RouterContext.from(context.appConfigs()).decisions();
    }

    @Override
    public void process(final FixedKeyRecord<String, Decided> record) {
        listener.onDecision(record.value().decision());
        context.forward(record);
    }
}
