package org.mlarouter.topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.streams.KeyValue;
import javax.crypto.SecretKey;

import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.mlarouter.avro.AssistanceRequest;
import org.mlarouter.avro.RoutingDecision;
import org.mlarouter.config.RouterConfig;
import org.mlarouter.privacy.KeyEncryptionKeys;
import org.mlarouter.privacy.PersonalData;
import org.mlarouter.serde.AvroBody;
import org.mlarouter.policy.RoutingPolicy;

/**
 * Decides a request on the coverage of its counterpart, read decoded from the global {@link CoverageStore}. While an
 * update of that coverage waits for the Schema Registry, the request is not decided on the coverage being replaced: it
 * waits in the {@code requests-awaiting-coverage} store ({@link AwaitingCoverage}), and is decided once the coverage is
 * current again, looked at each second (wall-clock time).
 */
final class DecideProcessor implements Processor<String, Verdict<Placed<AssistanceRequest>>, String, Decided> {

    static final String NAME = "decide";
    private static final Duration AWAIT_CHECK = Duration.ofSeconds(1);

    private final String homeState;
    private final RequestProgress progress;
    private final RouterConfig config;
    /** Tells the duplicate check of the task whether requests may wait (true until the store is seen empty). */
    private RequestProgress.Task task;
    private RoutingPolicy policy;
    private ProcessorContext<String, Decided> context;
    private CoverageStore coverage;
    private KeyValueStore<String, AwaitingCoverage> awaiting;
    /** The key-encryption keys in encrypted mode; empty in plain mode. */
    private Optional<KeyEncryptionKeys> keys;

    DecideProcessor(final RouterConfig config, final RequestProgress progress) {
        this.homeState = config.homeState();
        this.progress = progress;
        this.config = config;
    }

    @Override
    public void init(final ProcessorContext<String, Decided> context) {
        this.context = context;
        this.policy = new RoutingPolicy(homeState, RouterContext.from(context.appConfigs()).clock(), config.homeZone());
        this.coverage = context.getStateStore(RouterTopology.COVERAGE_STORE);
        this.awaiting = context.getStateStore(RouterTopology.AWAITING_COVERAGE_STORE);
        this.task = progress.of(context.taskId());
        this.keys = config.keyEncryptionKeys();
        task.awaitingCoverage(true); // the store may hold requests from before a restart
        context.schedule(AWAIT_CHECK, PunctuationType.WALL_CLOCK_TIME, now -> decideAwaiting());
    }

    @Override
    public void process(final Record<String, Verdict<Placed<AssistanceRequest>>> record) {
        final Placed<AssistanceRequest> placed = record.value().value(); // a request that passed the duplicate check
        final AssistanceRequest request = placed.value();
        final Optional<String> counterpart = policy.counterpartOf(request);
        if (counterpart.isPresent() && !coverage.current(counterpart.get())) {
            // In encrypted mode it waits sealed, with the data key its decision will use.
            final SecretKey dataKey = keys.isEmpty() ? null : KeyEncryptionKeys.newDataKey();
            if (dataKey != null) {
                PersonalData.sealInPlace(request, dataKey); // the router's own decoded copy
            }
            awaiting.put(AwaitingCoverage.storeKey(request, position(context.recordMetadata())), AwaitingCoverage.of(counterpart.get(),
                    request, record.timestamp(), record.headers(), dataKey == null ? null : keys.get().wrap(request.getRequestId(), dataKey)));
            task.awaitingCoverage(true);
            return;
        }
        context.forward(record.withValue(decided(policy.decide(request, counterpart.map(coverage::inForce).orElse(null)), placed.body(), null)));
    }

    /**
     * The first decision as the router writes it: in encrypted mode its request's personal fields sealed with a new data
     * key of the request, which goes, wrapped, to the keys topic (the request's bytes are then encoded again, not copied);
     * in plain mode as it is.
     */
    private Decided decided(final RoutingDecision decision, final AvroBody requestBody, final byte[] wrappedKey) {
        if (keys.isEmpty()) {
            return new Decided(decision, requestBody);
        }
        if (wrappedKey != null) {
            return new Decided(decision, null, wrappedKey); // sealed already, while it waited
        }
        final SecretKey dataKey = KeyEncryptionKeys.newDataKey();
        PersonalData.sealInPlace(decision.getRequest(), dataKey); // the router's own decoded copy, in no other hands
        return new Decided(decision, null, keys.get().wrap(decision.getRequestId(), dataKey));
    }

    /** Decides, in key order, each waiting request whose counterpart's coverage is current again. */
    private void decideAwaiting() {
        if (!task.awaitingCoverage()) {
            return;
        }
        final List<KeyValue<String, AwaitingCoverage>> ready = new ArrayList<>();
        boolean left = false;
        try (KeyValueIterator<String, AwaitingCoverage> all = awaiting.all()) {
            while (all.hasNext()) {
                final KeyValue<String, AwaitingCoverage> entry = all.next();
                if (coverage.current(entry.value.counterpart())) {
                    ready.add(entry);
                } else {
                    left = true;
                }
            }
        }
        for (final KeyValue<String, AwaitingCoverage> entry : ready) {
            final AssistanceRequest request = entry.value.decoded();
            awaiting.delete(entry.key);
            context.forward(new Record<>(request.getRequestId(), decided(policy.decide(request, coverage.inForce(entry.value.counterpart())), null, entry.value.wrappedKey()),
                    entry.value.timestamp(), entry.value.originalHeaders()));
        }
        task.awaitingCoverage(left);
    }

    /** Where a record was read, for the key of a waiting request without an id. */
    private static String position(final Optional<RecordMetadata> source) {
        return source.map(where -> where.topic() + "-" + where.partition() + "@" + where.offset()).orElse("?");
    }
}
