package org.mlarouter.clients;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.mlarouter.avro.AssistanceRequest;
import org.mlarouter.json.AvroJson;
import org.mlarouter.json.JsonFormatException;

/**
 * Submits requests given as JSON lines (the JSON form of docs/contract.md) to the request topic, keyed by requestId. A line
 * that is not a valid request is reported with its number and the field at fault, and the other lines still go. The
 * report never quotes a line: requests hold personal data.
 */
public final class RequestSubmitter {

    private final Producer<String, AssistanceRequest> producer;
    private final String topic;
    private final PrintStream problems;

    public RequestSubmitter(final Producer<String, AssistanceRequest> producer, final String topic, final PrintStream problems) {
        this.producer = producer;
        this.topic = topic;
        this.problems = problems;
    }

    /** What a submission did. */
    public static final class Result {
        public final int submitted;
        public final int rejected;
        public final List<String> requestIds;

        Result(final int submitted, final int rejected, final List<String> requestIds) {
            this.submitted = submitted;
            this.rejected = rejected;
            this.requestIds = List.copyOf(requestIds);
        }
    }

    /** Reads every line, sends the valid ones, and waits until the broker has them all. */
    public Result submit(final BufferedReader lines, final String sourceName) throws IOException {
        final List<Future<RecordMetadata>> sends = new ArrayList<>();
        final List<Integer> lineNumbers = new ArrayList<>();
        final List<String> requestIds = new ArrayList<>();
        int rejected = 0;
        int lineNumber = 0;
        String line;
        while ((line = lines.readLine()) != null) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            final AssistanceRequest request;
            try {
                request = AvroJson.parse(line, AssistanceRequest.class);
            } catch (final JsonFormatException e) {
                problems.println(sourceName + ": line " + lineNumber + ": " + e.getMessage());
                rejected++;
                continue;
            }
            final java.util.Optional<String> badCode = org.mlarouter.policy.StateCodes.problem("requestingState", request.getRequestingState())
                    .or(() -> org.mlarouter.policy.StateCodes.problem("requestedState", request.getRequestedState()));
            if (badCode.isPresent()) {
                problems.println(sourceName + ": line " + lineNumber + ": " + badCode.get());
                rejected++;
                continue;
            }
            sends.add(producer.send(new ProducerRecord<>(topic, request.getRequestId(), request)));
            lineNumbers.add(lineNumber);
            requestIds.add(request.getRequestId());
        }
        producer.flush();
        int submitted = 0;
        final List<String> delivered = new ArrayList<>();
        for (int i = 0; i < sends.size(); i++) {
            try {
                sends.get(i).get();
                submitted++;
                delivered.add(requestIds.get(i));
            } catch (final ExecutionException e) {
                problems.println(sourceName + ": line " + lineNumbers.get(i) + ": not delivered: " + e.getCause().getMessage());
                rejected++;
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("Interrupted while submitting", e);
            }
        }
        return new Result(submitted, rejected, delivered);
    }
}
