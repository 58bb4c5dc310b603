package org.mlarouter.topology;

import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record whose key cannot be decoded is logged and skipped, with a KIP-1034 dead letter. This is Kafka Streams' own
 * {@link LogAndContinueExceptionHandler} plus the router's reason headers. Values are not decoded here: request values
 * inside the topology (see {@link RouterTopology}), so that their dead letters commit with the transaction under
 * exactly-once, and coverage values in the {@link CoverageBook}.
 *
 * <p>One exception: when the Schema Registry cannot be reached, the record is not at fault, so it is not
 * dead-lettered. The task fails instead, and the record is read again once the stream thread is replaced.
 */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);

    private final LogAndContinueExceptionHandler kafkaHandler = new LogAndContinueExceptionHandler();
    private DeadLetterListener listener = DeadLetterListener.NONE;
    private DeadLetterRouting routing;

    @Override
    public void configure(final Map<String, ?> configs) {
        kafkaHandler.configure(configs);
        listener = DeadLetterListener.from(configs);
        routing = DeadLetterRouting.from(configs);
    }

    @Override
    public Response handleError(final ErrorHandlerContext context, final ConsumerRecord<byte[], byte[]> record,
                                final Exception exception) {
        if (RegistryOutage.causes(exception)) {
            LOG.error("Schema Registry unavailable while decoding {}-{}@{}: failing the task so the record is read again",
                    context.topic(), context.partition(), context.offset());
            return Response.fail();
        }
        final Response response = kafkaHandler.handleError(context, record, exception);
        final DeadLetterReason reason = DeadLetterReason.of(exception, DeadLetterReason.UNDECODABLE);
        DeadLetterHeaders.addRouterHeaders(response.deadLetterQueueRecords(), reason);
        if (routing.isReview(context.topic())) {
            listener.onReviewDeadLetter(reason);
            return Response.resume(routing.route(context.topic(), response.deadLetterQueueRecords()));
        }
        listener.onDeadLetter(context.topic(), reason);
        return response;
    }
}
