package org.mlarouter.topology;

import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record whose key, or whose coverage value on the treaty topic, cannot be decoded is logged and skipped, with a
 * KIP-1034 dead letter where Kafka Streams can send one. This is Kafka Streams' own {@link LogAndContinueExceptionHandler}
 * plus the router's reason headers. Request values are not decoded here but inside the topology (see
 * {@link RouterTopology}), so that their dead letters commit with the transaction under exactly-once.
 *
 * <p>One exception: when the Schema Registry cannot be reached, the record is not at fault, so it is not
 * dead-lettered. The task fails instead, and the record is read again once the stream thread is replaced. (The treaty
 * topic's serde waits out an outage itself, since the global thread cannot be replaced.)
 */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);

    /** Streams configuration key: the topic read by the global thread, whose bad records are skipped without a dead letter. */
    public static final String GLOBAL_TOPIC_CONFIG = "mla.dead.letter.global.topic";

    private final LogAndContinueExceptionHandler kafkaHandler = new LogAndContinueExceptionHandler();
    private DeadLetterListener listener = DeadLetterListener.NONE;
    private String globalTopic;

    @Override
    public void configure(final Map<String, ?> configs) {
        kafkaHandler.configure(configs);
        listener = DeadLetterListener.from(configs);
        final Object topic = configs.get(GLOBAL_TOPIC_CONFIG);
        globalTopic = topic == null ? null : topic.toString();
    }

    @Override
    public Response handleError(final ErrorHandlerContext context, final ConsumerRecord<byte[], byte[]> record,
                                final Exception exception) {
        if (RegistryOutage.causes(exception)) {
            LOG.error("Schema Registry unavailable while decoding {}-{}@{}: failing the task so the record is read again",
                    context.topic(), context.partition(), context.offset());
            return Response.fail();
        }
        if (context.topic() != null && context.topic().equals(globalTopic)) {
            // The global thread has no producer for dead letters: the record is skipped, the coverage in force kept.
            LOG.warn("Skipping an undecodable coverage record {}-{}@{}; the coverage in force is kept: {}",
                    context.topic(), context.partition(), context.offset(), exception.getMessage());
            listener.onDeadLetter(context.topic(), DeadLetterReason.of(exception, DeadLetterReason.UNDECODABLE));
            return Response.resume();
        }
        final Response response = kafkaHandler.handleError(context, record, exception);
        final DeadLetterReason reason = DeadLetterReason.of(exception, DeadLetterReason.UNDECODABLE);
        DeadLetterHeaders.addRouterHeaders(response.deadLetterQueueRecords(), reason);
        listener.onDeadLetter(context.topic(), reason);
        return response;
    }
}
