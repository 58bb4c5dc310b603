package org.mlarouter.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.mlarouter.avro.AssistanceRequest;

/** {@code submit}: a state code that is no country's, or not in upper case, is refused where the agency submits it. */
class RequestSubmitterTest {

    @Test
    void shouldRefuseStateCodesAssignedToNoCountryNamingLineAndField() throws Exception {
        final String sample = Files.readAllLines(Path.of("examples/requests.jsonl")).get(0);
        final String lines = String.join("\n", sample,
                sample.replace("\"requestId\": \"KZ-PG-2026-0001\"", "\"requestId\": \"zz\"").replace("\"requestedState\": \"FR\"", "\"requestedState\": \"ZZ\""),
                sample.replace("\"requestId\": \"KZ-PG-2026-0001\"", "\"requestId\": \"lower\"").replace("\"requestingState\": \"KZ\"", "\"requestingState\": \"kz\""));
        final MockProducer<String, AssistanceRequest> producer = new MockProducer<>(true, null, new StringSerializer(), (topic, request) -> new byte[0]);
        final ByteArrayOutputStream problems = new ByteArrayOutputStream();

        final RequestSubmitter.Result result = new RequestSubmitter(producer, "mla.requests", new PrintStream(problems, true, StandardCharsets.UTF_8))
                .submit(new BufferedReader(new StringReader(lines)), "requests.jsonl");

        assertEquals(1, result.submitted);
        assertEquals(2, result.rejected);
        assertEquals(List.of("KZ-PG-2026-0001"), producer.history().stream().map(record -> record.key()).toList(), "only the valid one is sent");
        assertEquals(List.of("requests.jsonl: line 2: requestedState ZZ is not an ISO 3166-1 alpha-2 code assigned to a country",
                "requests.jsonl: line 3: requestingState is not an ISO 3166-1 alpha-2 code (two upper-case letters)"),
                problems.toString(StandardCharsets.UTF_8).lines().toList());
    }
}
