package org.mlarouter.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.junit.jupiter.api.Test;

/** A dead letter too large for its topic is written once more without its value, not dead-lettered again and again. */
class DeadLetterProductionHandlerTest {

    @Test
    void shouldWriteADeadLetterThatDoesNotFitItsTopicOnceMoreWithoutItsValue() {
        final DeadLetterProductionHandler handler = new DeadLetterProductionHandler();
        handler.configure(Map.of(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "mla.requests.dlq",
                DeadLetterRouting.REVIEW_TOPIC_CONFIG, "mla.reviews.dlq"));
        final RecordHeaders headers = new RecordHeaders();
        headers.add(DeadLetterHeaders.REASON, "REQUEST_TOO_LARGE".getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetterHeaders.OFFSET, "41".getBytes(StandardCharsets.UTF_8));
        final ProducerRecord<byte[], byte[]> deadLetter = new ProducerRecord<>("mla.requests.dlq", null, 7L,
                "req-1".getBytes(StandardCharsets.UTF_8), new byte[1_100_000], headers);

        final ProductionExceptionHandler.Response response = handler.handleError(null, deadLetter, new RecordTooLargeException("too large"));

        assertEquals(ProductionExceptionHandler.Result.RESUME, response.result());
        final List<ProducerRecord<byte[], byte[]>> written = response.deadLetterQueueRecords();
        assertEquals(1, written.size());
        assertEquals("mla.requests.dlq", written.get(0).topic());
        assertEquals("req-1", new String(written.get(0).key(), StandardCharsets.UTF_8));
        assertNull(written.get(0).value(), "without the value that did not fit");
        assertEquals("REQUEST_TOO_LARGE", DeadLetterHeaders.text(written.get(0).headers(), DeadLetterHeaders.REASON));
        assertEquals("41", DeadLetterHeaders.text(written.get(0).headers(), DeadLetterHeaders.OFFSET), "where the original is");
        assertEquals("1100000 bytes did not fit the topic", DeadLetterHeaders.text(written.get(0).headers(), DeadLetterProductionHandler.VALUE_DROPPED));
    }
}
