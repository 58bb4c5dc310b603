package org.mlarouter.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.mlarouter.avro.AssistanceRequest;
import org.mlarouter.avro.Measure;
import org.mlarouter.testing.Requests;

class AvroJsonTest {

    @Test
    void shouldRoundTripARequestThroughItsJsonForm() {
        final AssistanceRequest request = Requests.transfer("r-1", "UZ").build();

        final String line = AvroJson.toJsonLine(request);

        assertEquals(request, AvroJson.parse(line, AssistanceRequest.class));
    }

    @Test
    void shouldWriteFieldNamesSymbolsIsoTimestampsAndPlainNulls() {
        final String line = AvroJson.toJsonLine(Requests.mla("r-2", "FR", Measure.SEARCH).build());

        assertEquals("{\"requestId\":\"r-2\",\"submittedAt\":\"2026-11-23T09:00:00Z\",\"requestingState\":\"KZ\","
                + "\"requestedState\":\"FR\",\"requestingAuthority\":\"Office of the Prosecutor General\","
                + "\"kind\":\"MUTUAL_LEGAL_ASSISTANCE\",\"measures\":[\"SEARCH\"],\"offence\":{\"category\":\"FRAUD\","
                + "\"description\":\"Case 2026-fraud\",\"politicalOffence\":false,\"militaryOffence\":false,"
                + "\"dualCriminality\":true},\"concerns\":[],\"sentencedPerson\":null,\"subjects\":[{\"fullName\":"
                + "\"" + Requests.SUBJECT_NAME + "\",\"role\":\"SUSPECT\"}],\"urgency\":\"ROUTINE\"}", line);
    }

    @Test
    void shouldAcceptEpochMillisAndAnAbsentOptionalField() {
        final String line = AvroJson.toJsonLine(Requests.mla("r-3", "FR", Measure.SEARCH).build())
                .replace("\"2026-11-23T09:00:00Z\"", "1795424400000")
                .replace("\"sentencedPerson\":null,", "");

        final AssistanceRequest request = AvroJson.parse(line, AssistanceRequest.class);

        assertEquals(Instant.ofEpochMilli(1795424400000L), request.getSubmittedAt());
    }

    @Test
    void shouldNameTheFieldOfEachKindOfMistake() {
        final String good = AvroJson.toJsonLine(Requests.mla("r-4", "FR", Measure.SEARCH).build());

        assertEquals("$.measures[0] unknown symbol 'SEARCHES' of Measure; expected one of " + java.util.Arrays.toString(Measure.values()),
                problem(good.replace("\"SEARCH\"", "\"SEARCHES\"")));
        assertEquals("$.offence.category is required", problem(good.replace("\"category\":\"FRAUD\",", "")));
        assertEquals("$.requestedstate is not a field of AssistanceRequest", problem(good.replace("requestedState", "requestedstate")));
        assertEquals("$.submittedAt must be an ISO-8601 instant such as 2026-11-23T10:15:30Z or epoch milliseconds",
                problem(good.replace("2026-11-23T09:00:00Z", "yesterday")));
        assertEquals("$.offence.politicalOffence must be true or false", problem(good.replace("\"politicalOffence\":false", "\"politicalOffence\":\"no\"")));
        assertEquals("$ is not valid JSON: Unexpected end-of-input in field name", problem(good.substring(0, 20)));
        assertEquals("$ is empty", problem(""));
    }

    private static String problem(final String json) {
        return assertThrows(JsonFormatException.class, () -> AvroJson.parse(json, AssistanceRequest.class)).getMessage();
    }
}
