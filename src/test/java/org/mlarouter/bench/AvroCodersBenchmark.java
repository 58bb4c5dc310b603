package org.mlarouter.bench;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;
import org.mlarouter.avro.AssistanceRequest;
import org.mlarouter.avro.Instrument;
import org.mlarouter.avro.Offence;
import org.mlarouter.avro.Person;
import org.mlarouter.avro.Reason;
import org.mlarouter.avro.Review;
import org.mlarouter.avro.ReviewOutcome;
import org.mlarouter.avro.RoutingDecision;
import org.mlarouter.avro.SentencedPerson;
import org.mlarouter.avro.TreatyCoverage;
import org.mlarouter.testing.SampleRequests;
import org.mlarouter.policy.RoutingPolicy;
import org.mlarouter.serde.SpecificAvroDeserializer;
import org.mlarouter.serde.SpecificAvroSerializer;
import org.mlarouter.treaty.TreatyTable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Avro's own ways to decode and encode faster, measured on the router's serde (Confluent framing, writer/reader
 * resolution) over the sample requests (issue 14, item 2):
 * <ul>
 *   <li>{@code default}: what the router runs, Avro 1.12's defaults: the fast reader
 *       ({@code org.apache.avro.fastread}, on), no custom coders;</li>
 *   <li>{@code custom-coders}: the generated classes' own {@code customEncode}/{@code customDecode}
 *       ({@code org.apache.avro.specific.use_custom_coders}); the compiler generates them only for records without
 *       logical types, so for the nested records (offence, persons, reasons), not for the request or the decision,
 *       which carry timestamps;</li>
 *   <li>{@code no-fast-reader}: the fast reader turned off, the older resolving reader.</li>
 * </ul>
 * Each setting is that of the generated classes' models, set before the serde is built; JMH runs each in forks of
 * its own. Run: {@code mvn -B -q test-compile exec:exec@jmh -Djmh.args="AvroCodersBenchmark -f 2 -wi 3 -w 2s -i 5 -r 2s"}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AvroCodersBenchmark {

    private static final List<Class<? extends SpecificRecordBase>> GENERATED = List.of(AssistanceRequest.class, RoutingDecision.class,
            Offence.class, Person.class, SentencedPerson.class, Reason.class, Review.class, ReviewOutcome.class, TreatyCoverage.class,
            Instrument.class);

    @Param({"default", "custom-coders", "no-fast-reader"})
    public String coders;

    private byte[][] encodedRequests;
    private AssistanceRequest[] requests;
    private RoutingDecision[] decisions;
    private SpecificAvroDeserializer<AssistanceRequest> requestDeserializer;
    private SpecificAvroSerializer<AssistanceRequest> requestSerializer;
    private SpecificAvroSerializer<RoutingDecision> decisionSerializer;
    private int next;

    @Setup
    public void setUp() throws IOException {
        for (final Class<? extends SpecificRecordBase> type : GENERATED) {
            final SpecificData model = SpecificData.getForClass(type);
            model.setCustomCoders("custom-coders".equals(coders));
            model.setFastReaderEnabled(!"no-fast-reader".equals(coders));
        }
        final Map<String, String> serde = Map.of("schema.registry.url", "mock://avro-coders-" + UUID.randomUUID());
        requestSerializer = new SpecificAvroSerializer<>();
        requestSerializer.configure(serde, false);
        requestDeserializer = new SpecificAvroDeserializer<>();
        requestDeserializer.configure(serde, false);
        decisionSerializer = new SpecificAvroSerializer<>();
        decisionSerializer.configure(serde, false);
        final RoutingPolicy policy = new RoutingPolicy("KZ", Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC));
        final TreatyTable table = TreatyTable.shipped("KZ");
        requests = SampleRequests.parsed().toArray(AssistanceRequest[]::new);
        encodedRequests = new byte[requests.length][];
        decisions = new RoutingDecision[requests.length];
        for (int i = 0; i < requests.length; i++) {
            encodedRequests[i] = requestSerializer.serialize("mla.requests", requests[i]);
            decisions[i] = policy.decide(requests[i], policy.counterpartOf(requests[i]).flatMap(table::coverage).orElse(null));
        }
    }

    private int nextSample() {
        final int sample = next;
        next = sample + 1 == requests.length ? 0 : sample + 1;
        return sample;
    }

    @Benchmark
    public AssistanceRequest decodeRequest() {
        return requestDeserializer.deserialize("mla.requests", encodedRequests[nextSample()]);
    }

    @Benchmark
    public byte[] encodeRequest() {
        return requestSerializer.serialize("mla.requests", requests[nextSample()]);
    }

    /** A decision encoded in full, its request included (the requests here were parsed, not decoded, so none is copied). */
    @Benchmark
    public byte[] encodeDecision() {
        return decisionSerializer.serialize("mla.decisions.accepted", decisions[nextSample()]);
    }
}
