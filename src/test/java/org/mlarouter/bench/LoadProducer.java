package org.mlarouter.bench;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.mlarouter.avro.AssistanceRequest;
import org.mlarouter.testing.SampleRequests;
import org.mlarouter.serde.SpecificAvroSerializer;

/**
 * The latency benchmark's load, in a process of its own so that it does not share the router's JVM: sends
 * {@code total} requests (the sample mix, ids {@code <prefix>-<n>}) at {@code rate} per second, each with its
 * {@link System#nanoTime()} in the header {@value #SENT_NANOS_HEADER}. On Linux, {@code nanoTime} reads the
 * system-wide monotonic clock, so the benchmark's consumer, in another process, can subtract it. Exits 0 once every
 * request is acknowledged, 1 at the first failed send.
 *
 * <p>Arguments: {@code bootstrap registry-url topic rate total prefix}.
 */
public final class LoadProducer {

    static final String SENT_NANOS_HEADER = "bench.sent.nanos";

    private LoadProducer() {
    }

    public static void main(final String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("load producer: expected bootstrap registry-url topic rate total prefix, got " + args.length + " arguments");
            System.exit(2);
        }
        final String topic = args[2];
        final double rate = Double.parseDouble(args[3]);
        final int total = Integer.parseInt(args[4]);
        final String prefix = args[5];
        final List<AssistanceRequest> requests = SampleRequests.parsed();
        final SpecificAvroSerializer<AssistanceRequest> serializer = new SpecificAvroSerializer<>();
        serializer.configure(Map.of("schema.registry.url", args[1]), false);
        final AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<String, AssistanceRequest> producer = new KafkaProducer<>(Map.of("bootstrap.servers", args[0],
                "acks", "all", "linger.ms", 5), new StringSerializer(), serializer)) {
            final long interval = (long) (1e9 / rate);
            long due = System.nanoTime();
            for (int i = 0; i < total && failure.get() == null; i++) {
                final long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                due += interval;
                final AssistanceRequest request = requests.get(i % requests.size());
                request.setRequestId(prefix + "-" + i);
                final ProducerRecord<String, AssistanceRequest> record = new ProducerRecord<>(topic, request.getRequestId(), request);
                record.headers().add(SENT_NANOS_HEADER, ByteBuffer.allocate(Long.BYTES).putLong(System.nanoTime()).array());
                producer.send(record, (metadata, exception) -> {
                    if (exception != null) {
                        failure.compareAndSet(null, exception);
                    }
                });
            }
            producer.flush();
        }
        if (failure.get() != null) {
            System.err.println("load producer: a send failed: " + failure.get());
            System.exit(1);
        }
        System.out.println("load producer: sent " + total);
        System.exit(0);
    }
}
