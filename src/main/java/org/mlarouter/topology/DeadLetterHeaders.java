package org.mlarouter.topology;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/**
 * The headers of a dead letter. Kafka Streams (KIP-1034) writes the exception class, message and stack trace and the
 * record's source topic, partition and offset; the router adds a stable reason code and the stage that failed.
 * None carries record content: exception messages of the serde and the topology never quote it.
 */
public final class DeadLetterHeaders {

    /** The {@link DeadLetterReason} code. */
    public static final String REASON = "mla.dlq.reason";
    /** The step that failed: {@code decode}, {@code validate} or {@code process}. */
    public static final String STAGE = "mla.dlq.stage";

    // The header names KIP-1034 defines (Kafka Streams writes them; the names are part of that KIP's public contract).
    public static final String EXCEPTION = "__streams.errors.exception";
    public static final String MESSAGE = "__streams.errors.message";
    public static final String STACKTRACE = "__streams.errors.stacktrace";
    public static final String TOPIC = "__streams.errors.topic";
    public static final String PARTITION = "__streams.errors.partition";
    public static final String OFFSET = "__streams.errors.offset";

    private DeadLetterHeaders() {
    }

    static void addRouterHeaders(final List<ProducerRecord<byte[], byte[]>> deadLetters, final DeadLetterReason reason) {
        for (final ProducerRecord<byte[], byte[]> deadLetter : deadLetters) {
            deadLetter.headers().remove(REASON).remove(STAGE)
                    .add(REASON, reason.name().getBytes(StandardCharsets.UTF_8))
                    .add(STAGE, reason.stage().getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The text of the last header with this key, or null. */
    /** Where a dead letter came from, as {@code topic-partition@offset} from its headers; "unknown" without them. */
    public static String source(final Iterable<Header> headers) {
        final String topic = text(headers, TOPIC);
        return topic == null ? "unknown" : topic + "-" + text(headers, PARTITION) + "@" + text(headers, OFFSET);
    }

    public static String text(final Iterable<Header> headers, final String key) {
        String value = null;
        for (final Header header : headers) {
            if (header.key().equals(key) && header.value() != null) {
                value = new String(header.value(), StandardCharsets.UTF_8);
            }
        }
        return value;
    }
}
