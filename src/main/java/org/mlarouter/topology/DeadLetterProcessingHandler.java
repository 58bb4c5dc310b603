package org.mlarouter.topology;

import java.util.Map;

import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;

/**
 * A record that decoded but could not be processed (a null value, a value of another type, a failure in the routing
 * step) goes to the dead-letter topic with the original bytes of its source record, and processing goes on. This is
 * Kafka Streams' own {@link LogAndContinueProcessingExceptionHandler} with the KIP-1034 dead-letter queue, plus the
 * router's reason headers.
 */
public final class DeadLetterProcessingHandler implements ProcessingExceptionHandler {

    private final LogAndContinueProcessingExceptionHandler kafkaHandler = new LogAndContinueProcessingExceptionHandler();
    private DeadLetterListener listener = DeadLetterListener.NONE;

    @Override
    public void configure(final Map<String, ?> configs) {
        kafkaHandler.configure(configs);
        listener = DeadLetterListener.from(configs);
    }

    @Override
    public Response handleError(final ErrorHandlerContext context, final Record<?, ?> record, final Exception exception) {
        final Response response = kafkaHandler.handleError(context, record, exception);
        final DeadLetterReason reason = DeadLetterReason.of(exception, DeadLetterReason.PROCESSING_FAILED);
        DeadLetterHeaders.addRouterHeaders(response.deadLetterQueueRecords(), reason, "processing");
        listener.onDeadLetter(context.topic(), reason);
        return response;
    }
}
