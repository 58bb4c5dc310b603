package org.mlarouter.bench;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.mlarouter.config.RouterSettings;

/** The benchmark's latency phase: the router at fixed loads, sent by a process of its own ({@link LoadProducer}). */
final class LatencyPhase {

    private final BenchmarkStack stack;
    private final List<Double> rates;
    private final int seconds;
    private final int warmUpSeconds;
    private final Predicate<Configuration> selected;

    /**
     * @param rates         the loads, requests per second
     * @param seconds       how long each load is counted, after {@code warmUpSeconds} not counted
     * @param selected      which guarantees' routers to measure (the command line's {@code --only})
     */
    LatencyPhase(final BenchmarkStack stack, final List<Double> rates, final int seconds, final int warmUpSeconds,
                 final Predicate<Configuration> selected) {
        this.stack = stack;
        this.rates = List.copyOf(rates);
        this.seconds = seconds;
        this.warmUpSeconds = warmUpSeconds;
        this.selected = selected;
    }

    /**
     * End-to-end latency at a fixed offered load: a producer sends requests at {@code rate} per second for
     * {@code --latency-seconds}, each with its {@link System#nanoTime()} in a header (Kafka Streams copies the input's
     * headers to the output), and a {@code read_committed} consumer of every output topic takes the difference when the
     * decision arrives. Requests sent in the first {@code --latency-warm-up} seconds (15) are the warm-up and are not counted: a new
     * application's first records wait for its start-up (its first fetches, metadata and schemas; seconds here).
     */
    private long[] latencies(final String guarantee, final double rate, final RouterSettings defaults) throws Exception {
        final Configuration setup = new Configuration(true, guarantee, Configuration.MAIN_PARTITIONS, false);
        final String inputTopic = "bench.latency." + guarantee.replace('_', '-') + "." + (long) rate;
        try (Admin admin = Admin.create(defaults.adminProperties())) {
            BenchmarkStack.createTopic(admin, inputTopic, Configuration.MAIN_PARTITIONS);
        }
        final long warmUpNanos = TimeUnit.SECONDS.toNanos(warmUpSeconds);
        final int total = (int) Math.max(1_000, rate * (seconds + warmUpSeconds));
        try (BenchmarkStack.Started started = stack.start(setup, inputTopic);
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", stack.bootstrapServers(),
                     "isolation.level", "read_committed", "auto.offset.reset", "earliest", "max.poll.records", 5_000),
                     new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            final List<TopicPartition> partitions = new ArrayList<>();
            for (final String topic : started.outputs) {
                for (int partition = 0; partition < Configuration.MAIN_PARTITIONS; partition++) {
                    partitions.add(new TopicPartition(topic, partition));
                }
            }
            consumer.assign(partitions);
            final Path producerLog = stack.workDir().resolve("load-producer-" + guarantee + "-" + (long) rate + ".log");
            final Process producer = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m", "-cp",
                    "target/mla-router.jar" + java.io.File.pathSeparator + "target/test-classes", LoadProducer.class.getName(),
                    stack.bootstrapServers(), stack.registryUrl(), inputTopic, String.valueOf(rate), String.valueOf(total),
                    "latency-" + (long) rate).redirectErrorStream(true).redirectOutput(producerLog.toFile()).start();
            final long[] latencies = new long[total];
            int counted = 0;
            final long firstSecond = System.nanoTime();
            final long[] worstBySecond = new long[(int) warmUpSeconds + seconds + 240];
            int received = 0;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds + 120L);
            while (received < total) {
                if (System.nanoTime() > deadline || !producer.isAlive() && producer.exitValue() != 0) {
                    producer.destroyForcibly();
                    throw new IllegalStateException("Latency at " + guarantee + ": " + received + " of " + total + " decisions arrived;"
                            + " the load producer said: " + Files.readString(producerLog));
                }
                for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    final long now = System.nanoTime();
                    final Header sent = record.headers().lastHeader(LoadProducer.SENT_NANOS_HEADER);
                    if (sent == null || received >= total) {
                        throw new IllegalStateException("A decision without the " + LoadProducer.SENT_NANOS_HEADER + " header, or more decisions than requests");
                    }
                    final long sentAt = ByteBuffer.wrap(sent.value()).getLong();
                    received++;
                    if (sentAt - firstSecond >= warmUpNanos) {
                        latencies[counted++] = now - sentAt;
                    }
                    final int second = (int) Math.max(0, Math.min(worstBySecond.length - 1, (sentAt - firstSecond) / 1_000_000_000L));
                    worstBySecond[second] = Math.max(worstBySecond[second], now - sentAt);
                }
            }
            if (!producer.waitFor(60, TimeUnit.SECONDS) || producer.exitValue() != 0) {
                throw new IllegalStateException("The load producer did not end well: " + Files.readString(producerLog));
            }
            final StringBuilder worst = new StringBuilder("latency " + guarantee + ", worst per second of sending, ms:");
            for (int second = 0; second < worstBySecond.length && second < warmUpSeconds + seconds + 2; second++) {
                worst.append(' ').append(worstBySecond[second] / 1_000_000);
            }
            System.out.println(worst);
            final long[] kept = Arrays.copyOf(latencies, counted);
            Arrays.sort(kept);
            return kept;
        }
    }


    String table(final RouterSettings defaults) throws Exception {
        final StringBuilder text = new StringBuilder();
        text.append(String.format("End-to-end latency at a fixed load, send() in a process of its own to the decision read committed,"
                + " %d s per guarantee and load after a %d s warm-up%n%n", seconds, warmUpSeconds));
        text.append("| guarantee | offered load, records/s | decisions counted | p50, ms | p99, ms | p99.9, ms | max, ms |\n");
        text.append("|---|---|---|---|---|---|---|\n");
        for (final double rate : rates) {
            for (final String guarantee : List.of(Configuration.AT_LEAST_ONCE, Configuration.EXACTLY_ONCE)) {
                if (!selected.test(new Configuration(true, guarantee, Configuration.MAIN_PARTITIONS, false))) {
                    continue;
                }
                final long[] sorted = latencies(guarantee, rate, defaults);
                final String row = String.format("| %s | %,.0f | %,d | %.1f | %.1f | %.1f | %.1f |%n", guarantee, rate, sorted.length,
                        percentile(sorted, 50), percentile(sorted, 99), percentile(sorted, 99.9), sorted[sorted.length - 1] / 1e6);
                System.out.print("latency " + row);
                text.append(row);
            }
        }
        return text.toString();
    }

    private static double percentile(final long[] sorted, final double percent) {
        final int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }
}
