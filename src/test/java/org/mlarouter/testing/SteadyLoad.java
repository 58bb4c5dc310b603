package org.mlarouter.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.mlarouter.avro.AssistanceRequest;
import org.mlarouter.config.TopicRole;

/**
 * Requests at a steady rate, from a thread of its own, until stopped: the sample requests by turns, each with an id of
 * its own ({@code prefix-load-N}). The router's own producer settings (idempotent, acks=all). A failed send fails the
 * test: {@link #stop()} returns the ids of the requests the broker acknowledged, and throws if any send failed.
 */
public final class SteadyLoad implements AutoCloseable {

    private static final int TICKS_PER_SECOND = 20;

    private final RouterUnderTest app;
    private final int perSecond;
    private final List<AssistanceRequest> samples = new ArrayList<>();
    private final List<String> acknowledged = new ArrayList<>();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean stop;
    private volatile long sent;

    public SteadyLoad(final RouterUnderTest app, final int perSecond) throws IOException {
        this.app = app;
        this.perSecond = perSecond;
        samples.addAll(SampleRequests.parsed());
        this.thread = new Thread(this::work, "steady-load");
        thread.start();
    }

    private void work() {
        try (KafkaProducer<String, AssistanceRequest> producer = app.clients().producer(AssistanceRequest.class)) {
            final long start = System.nanoTime();
            long next = 0;
            while (!stop && failure.get() == null) {
                final long due = (System.nanoTime() - start) * perSecond / TimeUnit.SECONDS.toNanos(1);
                for (; next < due; next++) {
                    final AssistanceRequest request = AssistanceRequest.newBuilder(samples.get((int) (next % samples.size()))).build();
                    final String id = app.prefix() + "-load-" + next;
                    request.setRequestId(id);
                    producer.send(new ProducerRecord<>(app.topic(TopicRole.REQUESTS), id, request), (metadata, error) -> {
                        if (error != null) {
                            failure.compareAndSet(null, error);
                        } else {
                            synchronized (acknowledged) {
                                acknowledged.add(id);
                            }
                        }
                    });
                    sent = next + 1;
                }
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1) / TICKS_PER_SECOND);
            }
            producer.flush();
        } catch (final Exception e) {
            failure.compareAndSet(null, e);
        }
    }

    /** Requests handed to the producer so far. */
    public long sent() {
        return sent;
    }

    /** Stops the load, waits for every send's answer, and returns the acknowledged ids; fails if a send failed. */
    public List<String> stop() throws InterruptedException {
        stop = true;
        thread.join(Duration.ofMinutes(3).toMillis());
        assertEquals(null, failure.get(), "a request could not be sent");
        synchronized (acknowledged) {
            assertEquals(sent, acknowledged.size(), "every request sent was acknowledged");
            return List.copyOf(acknowledged);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        thread.join(Duration.ofMinutes(3).toMillis());
    }
}
