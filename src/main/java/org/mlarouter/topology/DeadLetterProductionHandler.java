package org.mlarouter.topology;

import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DefaultProductionExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A decision that cannot be written because it is too large for the producer or broker (it carries the full request),
 * or because it cannot be serialized for a reason other than a Schema Registry outage, would fail the task again at
 * every retry. Instead the request's original bytes go to the dead-letter topic and processing goes on. Anything else
 * (a broker or registry outage) fails the task: the record is processed again, nothing is lost.
 *
 * <p>A dead letter that is itself too large for its topic (its headers took it over the limit) would make another of
 * the same size, and so on without end. It is written once more without its value, with the header
 * {@value #VALUE_DROPPED} saying so: its headers say where the original is ({@code __streams.errors.*}).
 */
public final class DeadLetterProductionHandler implements ProductionExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProductionHandler.class);
    /** The header of a dead letter written without its value, because with it the record did not fit its topic. */
    public static final String VALUE_DROPPED = "mla.dlq.value.dropped";

    /** Kafka's own handler, for its KIP-1034 dead letters: the source record's bytes with the error headers. */
    private final DefaultProductionExceptionHandler kafkaHandler = new DefaultProductionExceptionHandler();
    private String deadLetterTopic;
    private String reviewDeadLetterTopic;
    private DeadLetterListener listener = DeadLetterListener.NONE;
    private java.util.Optional<DeadLetterSeal> seal = java.util.Optional.empty();
    private java.time.Clock clock = java.time.Clock.systemUTC();

    @Override
    public void configure(final Map<String, ?> configs) {
        kafkaHandler.configure(configs);
        final Object topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        deadLetterTopic = topic == null ? null : topic.toString();
        final Object reviewTopic = configs.get(DeadLetterRouting.REVIEW_TOPIC_CONFIG);
        reviewDeadLetterTopic = reviewTopic == null ? null : reviewTopic.toString();
        listener = RouterContext.from(configs).deadLetters();
        seal = DeadLetterSeal.from(configs);
        clock = RouterContext.from(configs).clock();
    }

    @Override
    public Response handleError(final ErrorHandlerContext context, final ProducerRecord<byte[], byte[]> record, final Exception exception) {
        if (exception instanceof RecordTooLargeException) {
            if (record.topic().equals(deadLetterTopic) || record.topic().equals(reviewDeadLetterTopic)) {
                return withoutValue(record);
            }
            return deadLetter(context, exception, DeadLetterReason.DECISION_TOO_LARGE);
        }
        return Response.fail();
    }

    @Override
    public Response handleSerializationError(final ErrorHandlerContext context, final ProducerRecord record, final Exception exception,
                                             final SerializationExceptionOrigin origin) {
        if (RegistryOutage.causes(exception)) {
            LOG.error("Schema Registry unavailable while writing to {}: failing the task so the record is processed again", record.topic());
            return Response.fail();
        }
        return deadLetter(context, exception, DeadLetterReason.PROCESSING_FAILED);
    }

    private Response deadLetter(final ErrorHandlerContext context, final Exception exception, final DeadLetterReason reason) {
        if (deadLetterTopic == null) {
            return Response.fail();
        }
        LOG.warn("Cannot write the decision for {}-{}@{} ({}); its request goes to the dead-letter topic",
                context.topic(), context.partition(), context.offset(), exception.getClass().getSimpleName());
        // Kafka's handler would fail the task; only its dead letter (built from the source record) is taken.
        final List<ProducerRecord<byte[], byte[]>> deadLetters = kafkaHandler.handleError(context, null, exception).deadLetterQueueRecords();
        if (deadLetters.isEmpty()) {
            return Response.fail();
        }
        DeadLetterHeaders.addRouterHeaders(deadLetters, reason);
        listener.onDeadLetter(context.topic(), reason);
        return Response.resume(seal.isPresent() ? seal.get().seal(deadLetters, clock.millis()) : deadLetters);
    }

    /** The dead letter once more, without the value that made it too large, saying so. */
    private Response withoutValue(final ProducerRecord<byte[], byte[]> deadLetter) {
        final int size = deadLetter.value() == null ? 0 : deadLetter.value().length;
        LOG.error("A dead letter of {} bytes does not fit {}; written without its value (its headers say where the original is)", size,
                deadLetter.topic());
        final org.apache.kafka.common.header.Headers headers = new org.apache.kafka.common.header.internals.RecordHeaders(deadLetter.headers().toArray());
        headers.add(VALUE_DROPPED, (size + " bytes did not fit the topic").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return Response.resume(List.of(new ProducerRecord<>(deadLetter.topic(), deadLetter.partition(), deadLetter.timestamp(), deadLetter.key(),
                null, headers)));
    }
}
