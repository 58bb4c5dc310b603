package org.mlarouter.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.mlarouter.avro.Review;
import org.mlarouter.avro.Route;
import org.mlarouter.avro.RoutingDecision;
import org.mlarouter.testing.Requests;

class DecisionStatisticsTest {

    private final List<RoutingDecision> written = new ArrayList<>();
    // The records' values are indexes into what was written: the deserializer is the list.
    private final DecisionStatistics statistics = new DecisionStatistics((topic, bytes) -> bytes == null ? null
            : written.get(Integer.parseInt(new String(bytes, java.nio.charset.StandardCharsets.UTF_8))), "overdue", ZoneId.of("Asia/Almaty"));

    private void decided(final String topic, final String id, final String counterpart, final Route route, final Instant submitted,
                         final Duration after, final boolean reviewed) {
        final RoutingDecision decision = RoutingDecision.newBuilder().setRequestId(id).setRoute(route).setCounterpartState(counterpart)
                .setLegalBasis(null).setReasons(List.of()).setCoverageRevision(1L).setDecidedAt(submitted.plus(after))
                .setRequest(Requests.mla(id, counterpart).setSubmittedAt(submitted).build())
                .setReview(reviewed ? new Review(route, "R-1", "ok", submitted.plus(after), submitted, null, null) : null).build();
        written.add(decision);
        statistics.accept(new ConsumerRecord<>(topic, 0, written.size(), null, String.valueOf(written.size() - 1).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    void shouldCountRequestsByMonthCounterpartKindAndOutcomeAndTimeThem() {
        final Instant november = Instant.parse("2026-11-10T10:00:00Z");
        decided("accepted", "a-1", "FR", Route.ACCEPTED, november, Duration.ofSeconds(2), false);
        decided("accepted", "a-2", "FR", Route.ACCEPTED, november, Duration.ofSeconds(4), false);
        decided("refused", "r-1", "FR", Route.REFUSED, november, Duration.ofSeconds(6), false);
        decided("needs-review", "n-1", "VN", Route.NEEDS_REVIEW, november, Duration.ofSeconds(8), false);
        decided("needs-review", "n-2", "VN", Route.NEEDS_REVIEW, november, Duration.ofSeconds(10), false);
        decided("accepted", "n-1", "VN", Route.ACCEPTED, november, Duration.ofDays(3), true);
        decided("overdue", "n-2", "VN", Route.NEEDS_REVIEW, november, Duration.ofSeconds(10), false);
        // 2026-11-30T20:00Z is already December in Almaty (UTC+5).
        decided("refused", "d-1", "UZ", Route.REFUSED, Instant.parse("2026-11-30T19:00:00Z"), Duration.ofHours(1), false);

        final JsonNode json = statistics.json();

        assertEquals("month,counterpart,kind,outcome,requests\r\n"
                + "2026-11,FR,mutual_legal_assistance,accepted,2\r\n"
                + "2026-11,FR,mutual_legal_assistance,refused,1\r\n"
                + "2026-11,VN,mutual_legal_assistance,accepted_after_review,1\r\n"
                + "2026-11,VN,mutual_legal_assistance,needs_review,2\r\n"
                + "2026-12,UZ,mutual_legal_assistance,refused,1\r\n", statistics.csv("requests"), "the overdue record is not a decision");
        final JsonNode first = json.get("timeToFirstDecision").get(0);
        assertEquals("2026-11", first.get("month").asText());
        assertEquals(5, first.get("decisions").asInt(), "first decisions only: 2, 4, 6, 8 and 10 s");
        assertEquals(6.0, first.get("medianSeconds").asDouble());
        assertEquals(10.0, first.get("p90Seconds").asDouble());
        final JsonNode last = json.get("timeToFinalDecision").get(0);
        assertEquals(4, last.get("decisions").asInt(), "final decisions: three by the router, one after review");
        assertEquals(Duration.ofDays(3).toSeconds(), last.get("p90Seconds").asLong());
        final JsonNode overdue = json.get("overdue").get(0);
        assertEquals(2, overdue.get("toReview").asInt());
        assertEquals(1, overdue.get("overdue").asInt());
        assertEquals(0.5, overdue.get("share").asDouble());
        assertFalse(json.toString().contains(Requests.SUBJECT_NAME), "no personal data");
    }

    @Test
    void shouldCountWhatCannotBeDecodedRatherThanStop() {
        final DecisionStatistics failing = new DecisionStatistics((topic, bytes) -> {
            throw new org.apache.kafka.common.errors.SerializationException("unknown schema id");
        }, "overdue", ZoneId.of("UTC"));
        failing.accept(new ConsumerRecord<>("accepted", 0, 0, null, new byte[] {0, 0, 0, 0, 9}));

        assertEquals(1, failing.json().get("undecodable").asInt());
        assertEquals(null, failing.csv("no-such-table"));
    }
}
