package org.mlarouter.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.mlarouter.avro.AssistanceRequest;
import org.mlarouter.avro.RoutingDecision;
import org.mlarouter.avro.TreatyCoverage;
import org.mlarouter.json.AvroJson;
import org.mlarouter.ops.RouterMetrics;
import org.mlarouter.policy.RoutingPolicy;
import org.mlarouter.serde.SpecificAvroDeserializer;
import org.mlarouter.serde.SpecificAvroSerializer;
import org.mlarouter.treaty.TreatyTable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What one record costs the router without Kafka, in nanoseconds, over the sample mix of {@code examples/requests.jsonl}:
 * <ul>
 *   <li>{@link #policy}: the routing policy alone (coverage already decoded);</li>
 *   <li>{@link #decodeRequest} and {@link #encodeDecision}: the serde alone, Confluent framing, ids cached;</li>
 *   <li>{@link #wholePath}: what the topology does per record outside Kafka's own code: the size check, decode, the
 *       duplicate check (a hash set standing in for the state store), the coverage lookup, the policy, the decision
 *       metrics and the encoding of the decision.</li>
 * </ul>
 * Each call takes the next sample, so the mix of counterparts, kinds and routes is that of the throughput benchmark.
 *
 * <p>Not part of the test suite. Run: {@code mvn -B -q test-compile exec:exec@jmh} (arguments in {@code jmh.args}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PerRecordBenchmark {

    private static final String REQUESTS = "mla.requests";
    private static final String DECISIONS = "mla.decisions.accepted";
    private static final String COVERAGE = "mla.treaties";
    private static final int MAX_REQUEST_BYTES = 900_000;

    private AssistanceRequest[] requests;
    private TreatyCoverage[] coverages;
    private byte[][] encodedRequests;
    private RoutingDecision[] decisions;
    private Map<String, TreatyCoverage> coverageByCountry;
    private RoutingPolicy policy;
    private SpecificAvroDeserializer<AssistanceRequest> requestDeserializer;
    private SpecificAvroSerializer<RoutingDecision> decisionSerializer;
    private RouterMetrics metrics;
    private Set<String> decidedRequestIds;
    private org.mlarouter.privacy.KeyEncryptionKeys keyEncryptionKeys;
    private int next;

    @Setup
    public void setUp() throws IOException {
        final Map<String, String> serde = Map.of("schema.registry.url", "mock://per-record-" + UUID.randomUUID());
        final SpecificAvroSerializer<AssistanceRequest> requestSerializer = new SpecificAvroSerializer<>();
        requestSerializer.configure(serde, false);
        requestDeserializer = new SpecificAvroDeserializer<>();
        requestDeserializer.configure(serde, false);
        decisionSerializer = new SpecificAvroSerializer<>();
        decisionSerializer.configure(serde, false);

        policy = new RoutingPolicy("KZ", Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC));
        final TreatyTable table = TreatyTable.shipped("KZ");
        coverageByCountry = new java.util.HashMap<>();
        table.all().forEach(coverage -> coverageByCountry.put(coverage.getCounterpartState(), coverage));

        final List<String> lines = Files.readAllLines(Path.of("examples/requests.jsonl"));
        requests = new AssistanceRequest[lines.size()];
        coverages = new TreatyCoverage[lines.size()];
        encodedRequests = new byte[lines.size()][];
        decisions = new RoutingDecision[lines.size()];
        // Requests and coverage as the router holds them: decoded from Avro (its lists are GenericData.Array).
        final SpecificAvroSerializer<TreatyCoverage> coverageSerializer = new SpecificAvroSerializer<>();
        coverageSerializer.configure(serde, false);
        final SpecificAvroDeserializer<TreatyCoverage> coverageDeserializer = new SpecificAvroDeserializer<>();
        coverageDeserializer.configure(serde, false);
        coverageByCountry.replaceAll((counterpart, coverage) -> coverageDeserializer.deserialize(COVERAGE,
                coverageSerializer.serialize(COVERAGE, coverage)));
        for (int i = 0; i < lines.size(); i++) {
            encodedRequests[i] = requestSerializer.serialize(REQUESTS, AvroJson.parse(lines.get(i), AssistanceRequest.class));
            requests[i] = requestDeserializer.deserialize(REQUESTS, encodedRequests[i]);
            coverages[i] = policy.counterpartOf(requests[i]).map(coverageByCountry::get).orElse(null);
            decisions[i] = policy.decide(requests[i], coverages[i]);
        }
        requestSerializer.close();
        metrics = new RouterMetrics();
        decidedRequestIds = new HashSet<>();
        final Path kek = Files.createTempDirectory("per-record").resolve("kek");
        org.mlarouter.privacy.KeyEncryptionKeys.createIfMissing(kek, Clock.systemUTC());
        keyEncryptionKeys = org.mlarouter.privacy.KeyEncryptionKeys.read(kek);
    }

    @TearDown
    public void tearDown() {
        metrics.close();
    }

    private int nextSample() {
        final int sample = next;
        next = sample + 1 == requests.length ? 0 : sample + 1;
        return sample;
    }

    @Benchmark
    public RoutingDecision policy() {
        final int sample = nextSample();
        return policy.decide(requests[sample], coverages[sample]);
    }

    @Benchmark
    public AssistanceRequest decodeRequest() {
        return requestDeserializer.deserialize(REQUESTS, encodedRequests[nextSample()]);
    }

    @Benchmark
    public byte[] encodeDecision() {
        return decisionSerializer.serialize(DECISIONS, decisions[nextSample()]);
    }

    @Benchmark
    public byte[] wholePath() {
        final byte[] bytes = encodedRequests[nextSample()];
        if (bytes.length > MAX_REQUEST_BYTES) {
            throw new IllegalStateException("too large");
        }
        final AssistanceRequest request = requestDeserializer.deserialize(REQUESTS, bytes);
        // A lookup and insert standing in for the store's get and put; the samples repeat, so the outcome is ignored.
        decidedRequestIds.add(request.getRequestId());
        final TreatyCoverage coverage = policy.counterpartOf(request).map(coverageByCountry::get).orElse(null);
        final RoutingDecision decision = policy.decide(request, coverage);
        metrics.onDecision(decision);
        return decisionSerializer.serialize(DECISIONS, decision);
    }

    /** A request decoded, decided and its decision encoded: what {@link #decideSealAndEncode} adds the encryption to. */
    @Benchmark
    public byte[] decideAndEncode() {
        final int sample = nextSample();
        final AssistanceRequest request = requestDeserializer.deserialize(REQUESTS, encodedRequests[sample]);
        return decisionSerializer.serialize(DECISIONS, policy.decide(request, coverages[sample]));
    }

    /** As {@link #decideAndEncode}, in encrypted mode: a new data key, both personal fields sealed in place, the key wrapped. */
    @Benchmark
    public byte[] decideSealAndEncode() {
        final int sample = nextSample();
        final AssistanceRequest request = requestDeserializer.deserialize(REQUESTS, encodedRequests[sample]);
        final RoutingDecision decision = policy.decide(request, coverages[sample]);
        final javax.crypto.SecretKey key = org.mlarouter.privacy.KeyEncryptionKeys.newDataKey();
        org.mlarouter.privacy.PersonalData.sealInPlace(request, key);
        final byte[] wrapped = keyEncryptionKeys.wrap(request.getRequestId(), key);
        final byte[] encoded = decisionSerializer.serialize(DECISIONS, decision);
        return wrapped.length > encoded.length ? wrapped : encoded;
    }
}
