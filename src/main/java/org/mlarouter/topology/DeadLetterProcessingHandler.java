package org.mlarouter.topology;

import java.util.Map;

import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record whose processing fails unexpectedly (a fault of the router, not a rejection: the topology dead-letters the
 * records it rejects itself, as values) goes to the dead-letter topic with the original bytes of its source record, and
 * processing goes on. This is Kafka Streams' own {@link LogAndContinueProcessingExceptionHandler} with the KIP-1034
 * dead-letter queue, plus the router's reason headers; a failure in a step of the review loop goes to the review
 * dead-letter topic ({@link DeadLetterRouting}).
 *
 * <p>One exception: when the Schema Registry cannot be reached, the record is not at fault, so it is not
 * dead-lettered. The task fails instead; the transaction is aborted and the record is processed again once the stream
 * thread is replaced.
 */
public final class DeadLetterProcessingHandler implements ProcessingExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProcessingHandler.class);

    private final LogAndContinueProcessingExceptionHandler kafkaHandler = new LogAndContinueProcessingExceptionHandler();
    private DeadLetterListener listener = DeadLetterListener.NONE;
    private DeadLetterRouting routing;
    private java.util.Optional<DeadLetterSeal> seal = java.util.Optional.empty();
    private java.time.Clock clock = java.time.Clock.systemUTC();

    @Override
    public void configure(final Map<String, ?> configs) {
        kafkaHandler.configure(configs);
        listener = RouterContext.from(configs).deadLetters();
        routing = DeadLetterRouting.from(configs);
        seal = DeadLetterSeal.from(configs);
        clock = RouterContext.from(configs).clock();
    }

    @Override
    public Response handleError(final ErrorHandlerContext context, final Record<?, ?> record, final Exception exception) {
        if (RegistryOutage.causes(exception)) {
            LOG.error("Schema Registry unavailable while processing {}-{}@{}: failing the task so the record is processed again",
                    context.topic(), context.partition(), context.offset());
            return Response.fail();
        }
        final Response response = kafkaHandler.handleError(context, record, exception);
        final DeadLetterReason reason = DeadLetterReason.of(exception, DeadLetterReason.PROCESSING_FAILED);
        // One line per dead letter; Kafka's handler (quieted in simplelogger.properties) logs a stack trace for each,
        // about 29 lines a record, which a burst of hostile input turned into a flood (ForgedIdBurstIT).
        LOG.warn("Dead letter {} for {}-{}@{}: {}", reason, context.topic(), context.partition(), context.offset(), exception.getMessage());
        DeadLetterHeaders.addRouterHeaders(response.deadLetterQueueRecords(), reason);
        if (routing.isReview(context.processorNodeId())) {
            listener.onReviewDeadLetter(reason);
        } else {
            listener.onDeadLetter(context.topic(), reason);
        }
        final java.util.List<org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]>> routed =
                routing.route(context.processorNodeId(), response.deadLetterQueueRecords());
        return Response.resume(seal.isPresent() ? seal.get().seal(routed, clock.millis()) : routed);
    }
}
