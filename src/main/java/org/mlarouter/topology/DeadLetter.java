package org.mlarouter.topology;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * A record the router will not process, as it goes to a dead-letter topic: the original key and value bytes, the
 * source record's headers with the KIP-1034 error headers (what failed, and where the record came from) and the router's
 * reason and stage. Built by the step that rejects the record, carried as a value through the topology to its dead-letter
 * sink, so the rejection is a branch of the topology and commits with the transaction under exactly-once. In encrypted
 * mode its value is sealed there ({@link DeadLetterSeal}); {@code requestId} names the request it duplicates, if any.
 */
public record DeadLetter(byte[] key, byte[] value, Headers headers, DeadLetterReason reason, String sourceTopic, String message,
                         String requestId) {

    /**
     * The dead letter of the record being processed.
     *
     * @param source    where the record was read (topic, partition, offset), if known
     * @param original  the record's own headers, copied first
     * @param cause     the exception that made it unusable, or null for a rejection by the router's rules (the exception
     *                  header then names this class, and the trace the step)
     * @param processor the step that rejected it
     */
    static DeadLetter of(final byte[] key, final byte[] value, final Optional<RecordMetadata> source, final Headers original,
                         final DeadLetterReason reason, final String message, final Throwable cause, final String processor) {
        final RecordHeaders headers = new RecordHeaders();
        if (original != null) {
            for (final Header header : original) {
                headers.add(header);
            }
        }
        final String topic = source.map(RecordMetadata::topic).orElse(null);
        headers.add(DeadLetterHeaders.EXCEPTION, bytes(cause == null ? DeadLetter.class.getName() : cause.getClass().getName()));
        headers.add(DeadLetterHeaders.MESSAGE, bytes(message));
        headers.add(DeadLetterHeaders.STACKTRACE, bytes(cause == null ? DeadLetter.class.getName() + ": " + message
                + "\n\trejected by the router's step " + processor + "\n" : trace(cause)));
        headers.add(DeadLetterHeaders.TOPIC, bytes(topic));
        headers.add(DeadLetterHeaders.PARTITION, bytes(source.map(metadata -> String.valueOf(metadata.partition())).orElse(null)));
        headers.add(DeadLetterHeaders.OFFSET, bytes(source.map(metadata -> String.valueOf(metadata.offset())).orElse(null)));
        headers.add(DeadLetterHeaders.REASON, bytes(reason.name()));
        headers.add(DeadLetterHeaders.STAGE, bytes(reason.stage()));
        return new DeadLetter(key, value, headers, reason, topic, message, null);
    }

    /** This dead letter, of a record that names a request already known (its duplicate): erasing that request erases it too. */
    DeadLetter ofRequest(final String knownRequestId) {
        return new DeadLetter(key, value, headers, reason, sourceTopic, message, knownRequestId);
    }

    private static byte[] bytes(final String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    private static String trace(final Throwable cause) {
        final StringWriter text = new StringWriter();
        cause.printStackTrace(new PrintWriter(text));
        return text.toString();
    }
}
