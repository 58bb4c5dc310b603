package org.mlarouter.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mlarouter.avro.AssistanceRequest;
import org.mlarouter.avro.Measure;
import org.mlarouter.avro.RoutingDecision;
import org.mlarouter.config.TopicRole;
import org.mlarouter.serde.AvroSerdeConfig;
import org.mlarouter.serde.ConfluentFraming;
import org.mlarouter.serde.SpecificAvroSerializer;
import org.mlarouter.testing.Await;
import org.mlarouter.testing.KafkaStack;
import org.mlarouter.testing.Requests;
import org.mlarouter.testing.RouterProcess;
import org.mlarouter.testing.RouterUnderTest;

/**
 * Issue 13, item 2: a burst of 10,000 records with random (forged) schema ids among a steady flow of good requests.
 * Every forged record is dead-lettered, every good request decided once, none dead-lettered; the good requests'
 * decision lag before, during and after the burst is printed (FIGURES) for docs/reliability.md, not asserted.
 */
class ForgedIdBurstIT {

    private static final int FORGED = 10_000;
    private static final Duration GOOD_INTERVAL = Duration.ofMillis(10);

    @RegisterExtension
    static final KafkaStack KAFKA = KafkaStack.plain();

    @TempDir
    Path workDir;

    @Test
    void shouldDeadLetterEveryForgedIdWhileGoodRequestsKeepFlowing() throws Exception {
        final RouterUnderTest app = KAFKA.router("burst", 3).publishShippedTreaties();
        try (RouterProcess router = app.startProcess(workDir.resolve("router.log"), workDir.resolve("state"), "--http-port", "-1")) {
            sendBurstAndCheck(app, router);
        }
    }

    private void sendBurstAndCheck(final RouterUnderTest app, final RouterProcess router) throws Exception {
        final Map<String, Instant> goodSentAt = new HashMap<>();
        final AtomicReference<Instant> burstStarted = new AtomicReference<>();
        final AtomicReference<Instant> burstSent = new AtomicReference<>();
        try (KafkaProducer<String, AssistanceRequest> good = app.clients().producer(AssistanceRequest.class);
             KafkaProducer<String, byte[]> raw = new KafkaProducer<>(Map.of("bootstrap.servers", KAFKA.bootstrapServers()),
                     new StringSerializer(), new ByteArraySerializer())) {
            final byte[] body = validRequestBytes(app);
            final SplittableRandom random = new SplittableRandom(13);
            final String requests = app.topic(TopicRole.REQUESTS);
            // 5 s of good traffic, the burst sent at once, then 10 s more.
            final Instant start = Instant.now();
            int sent = 0;
            while (Duration.between(start, Instant.now()).toSeconds() < 15) {
                if (burstStarted.get() == null && Duration.between(start, Instant.now()).toSeconds() >= 5) {
                    burstStarted.set(Instant.now());
                    for (int i = 0; i < FORGED; i++) {
                        final byte[] forged = body.clone();
                        ConfluentFraming.writeHeader(forged, 1_000_000 + random.nextInt(1_000_000_000));
                        raw.send(new ProducerRecord<>(requests, "forged-" + i, forged));
                    }
                    raw.flush();
                    burstSent.set(Instant.now());
                }
                final String id = "good-" + sent++;
                final Instant now = Instant.now();
                goodSentAt.put(id, now);
                good.send(new ProducerRecord<>(requests, id, Requests.mla(id, "FR", Measure.SEARCH).setSubmittedAt(now).build())).get();
                Await.until("the next good request's turn", Duration.ofSeconds(1),
                        () -> Duration.between(now, Instant.now()).compareTo(GOOD_INTERVAL) >= 0);
            }
        }

        Await.until("every record decided or dead-lettered", Duration.ofSeconds(180),
                () -> app.committedByKey().size() >= goodSentAt.size() + FORGED);
        final Map<String, Integer> counts = app.committedByKey();
        assertEquals(List.of(), counts.entrySet().stream().filter(entry -> entry.getValue() != 1).map(Map.Entry::getKey).toList(),
                "each record once");
        assertEquals(goodSentAt.size() + FORGED, counts.size(), "nothing lost, nothing else");
        assertEquals(FORGED, app.committedByTopic().get(app.topic(TopicRole.DEAD_LETTERS)), "the forged records, and only they, dead-lettered");

        final Map<String, Long> lagById = decisionLags(app, goodSentAt.size());
        assertEquals(goodSentAt.keySet(), lagById.keySet(), "every good request decided");
        final Instant quiet = burstSent.get().plusSeconds(5);
        System.out.printf("FIGURES forged-id burst: %d forged dead-lettered, %d good decided; good decision lag ms (p50 / p99 / max):"
                        + " before %s, during the burst's first 5 s %s, after %s; burst sent in %d ms; router log has %d lines%n",
                FORGED, lagById.size(),
                percentiles(lagById, goodSentAt, Instant.MIN, burstStarted.get()),
                percentiles(lagById, goodSentAt, burstStarted.get(), quiet),
                percentiles(lagById, goodSentAt, quiet, Instant.MAX),
                Duration.between(burstStarted.get(), burstSent.get()).toMillis(), router.log().lines().count());
    }

    private static byte[] validRequestBytes(final RouterUnderTest app) {
        final SpecificAvroSerializer<AssistanceRequest> serializer = new SpecificAvroSerializer<>();
        serializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, KAFKA.registryUrl()), false);
        return serializer.serialize(app.topic(TopicRole.REQUESTS), Requests.mla("template", "FR", Measure.SEARCH).build());
    }

    /** decidedAt − submittedAt of each good request's decision. */
    private static Map<String, Long> decisionLags(final RouterUnderTest app, final int expected) {
        final Map<String, Long> lags = new HashMap<>();
        try (KafkaConsumer<String, RoutingDecision> consumer = app.clients().consumer(RoutingDecision.class)) {
            final List<TopicPartition> partitions = new ArrayList<>();
            for (final TopicRole role : List.of(TopicRole.ACCEPTED, TopicRole.REFUSED, TopicRole.NEEDS_REVIEW)) {
                consumer.partitionsFor(app.topic(role)).forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Await.until("the good requests' decisions read back", Duration.ofSeconds(60), () -> {
                for (final ConsumerRecord<String, RoutingDecision> record : consumer.poll(Duration.ofMillis(200))) {
                    final RoutingDecision decision = record.value();
                    lags.put(record.key(), decision.getDecidedAt().toEpochMilli() - decision.getRequest().getSubmittedAt().toEpochMilli());
                }
                return lags.size() >= expected;
            });
        }
        return lags;
    }

    private static String percentiles(final Map<String, Long> lagById, final Map<String, Instant> sentAt, final Instant from, final Instant to) {
        final List<Long> lags = lagById.entrySet().stream()
                .filter(entry -> !sentAt.get(entry.getKey()).isBefore(from) && sentAt.get(entry.getKey()).isBefore(to))
                .map(Map.Entry::getValue).sorted().collect(Collectors.toList());
        if (lags.isEmpty()) {
            return "(none)";
        }
        return lags.get(lags.size() / 2) + " / " + lags.get(Math.min(lags.size() - 1, (int) Math.ceil(lags.size() * 0.99) - 1))
                + " / " + lags.get(lags.size() - 1) + " (" + lags.size() + " requests)";
    }
}
