package org.mlarouter.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.mlarouter.json.Json;

class ReviewQueueQueryTest {

    private static JsonNode entry(final String id, final String counterpart, final String authority, final String kind, final String category,
                                  final String received, final String deadline, final boolean overdue) {
        return Json.object().put("requestId", id).put("counterpartState", counterpart).put("requestingAuthority", authority).put("kind", kind)
                .put("offenceCategory", category).put("urgency", "ROUTINE").put("receivedAt", received).put("pendingSince", received)
                .put("deadline", deadline).put("overdue", overdue);
    }

    private final List<JsonNode> queue = List.of(
            entry("KZ-2026-3", "UZ", "Office of the Prosecutor General", "TRANSFER_OF_SENTENCED_PERSON", "FRAUD",
                    "2026-12-01T10:00:00Z", "2026-12-31T10:00:00Z", false),
            entry("KZ-2026-1", "FR", "Anti-Corruption Agency", "MUTUAL_LEGAL_ASSISTANCE", "CORRUPTION",
                    "2026-11-01T10:00:00.500Z", "2026-12-01T10:00:00.500Z", true),
            entry("KZ-2026-2", "FR", "Financial Monitoring Agency", "EXTRADITION", "MONEY_LAUNDERING",
                    "2026-11-01T10:00:00Z", "2026-12-01T10:00:00Z", true),
            entry("AB-7", "VN", "Office of the Prosecutor General", "MUTUAL_LEGAL_ASSISTANCE", "FRAUD",
                    "2026-12-03T10:00:00Z", "2026-12-05T10:00:00Z", false));

    private static ReviewQueueQuery query(final Map<String, String> parameters) {
        return ReviewQueueQuery.of(name -> Optional.ofNullable(parameters.get(name)));
    }

    private static List<String> ids(final JsonNode answer) {
        final List<String> ids = new ArrayList<>();
        (answer.isArray() ? answer : answer.get("reviews")).forEach(entry -> ids.add(entry.get("requestId").asText()));
        return ids;
    }

    @Test
    void shouldAnswerTheWholeQueueOldestPendingFirstAsAnArrayWithoutParameters() {
        final JsonNode answer = query(Map.of()).answer(queue);

        assertTrue(answer.isArray());
        // Instants compared as instants: ...:00Z is before ...:00.500Z, though not as text.
        assertEquals(List.of("KZ-2026-2", "KZ-2026-1", "KZ-2026-3", "AB-7"), ids(answer));
        assertEquals("", query(Map.of()).queryString());
    }

    @Test
    void shouldFilterOnEachFieldAndAnIdPrefix() {
        assertEquals(List.of("KZ-2026-2", "KZ-2026-1"), ids(query(Map.of("counterpart", "fr")).answer(queue)));
        assertEquals(List.of("KZ-2026-3", "AB-7"), ids(query(Map.of("authority", "prosecutor")).answer(queue)));
        assertEquals(List.of("KZ-2026-2"), ids(query(Map.of("kind", "EXTRADITION")).answer(queue)));
        assertEquals(List.of("KZ-2026-3", "AB-7"), ids(query(Map.of("category", "FRAUD")).answer(queue)));
        assertEquals(List.of("KZ-2026-2", "KZ-2026-1"), ids(query(Map.of("overdue", "true")).answer(queue)));
        assertEquals(List.of("KZ-2026-3", "AB-7"), ids(query(Map.of("overdue", "false")).answer(queue)));
        assertEquals(List.of("AB-7"), ids(query(Map.of("id", "AB")).answer(queue)));
        assertEquals(List.of("KZ-2026-1"), ids(query(Map.of("counterpart", "FR", "category", "CORRUPTION")).answer(queue)));
    }

    @Test
    void shouldFilterAndCountTheEntriesNewCoverageWouldDecideOtherwise() {
        final List<JsonNode> marked = new ArrayList<>(queue);
        marked.set(3, ((com.fasterxml.jackson.databind.node.ObjectNode) queue.get(3).deepCopy()).set("coverageChanged",
                Json.object().put("route", "ACCEPTED")));

        assertEquals(List.of("AB-7"), ids(query(Map.of("coverageChanged", "true")).answer(marked)));
        assertEquals(List.of("KZ-2026-2", "KZ-2026-1", "KZ-2026-3"), ids(query(Map.of("coverageChanged", "false")).answer(marked)));
        assertEquals(1, query(Map.of("limit", "10")).answer(marked).get("coverageChanged").asInt());
        assertEquals("?coverageChanged=true", query(Map.of("coverageChanged", "true")).queryString());
        final ReviewQueueQuery.Refused refused = org.junit.jupiter.api.Assertions.assertThrows(ReviewQueueQuery.Refused.class,
                () -> query(Map.of("coverageChanged", "yes")));
        assertEquals("coverageChanged must be true or false, not yes", refused.getMessage());
    }

    @Test
    void shouldSortOnAFieldEitherWayWithTheIdBreakingTies() {
        assertEquals(List.of("AB-7", "KZ-2026-3", "KZ-2026-2", "KZ-2026-1"), ids(query(Map.of("sort", "authority", "order", "desc")).answer(queue)),
                "authorities Z to A, the ids of one authority A to Z");
        assertEquals(List.of("KZ-2026-2", "KZ-2026-1", "AB-7", "KZ-2026-3"), ids(query(Map.of("sort", "deadline")).answer(queue)));
        assertEquals(List.of("KZ-2026-1", "KZ-2026-2", "KZ-2026-3", "AB-7"), ids(query(Map.of("sort", "counterpart")).answer(queue)));
    }

    @Test
    void shouldCutPagesAndSayHowManyThereAre() {
        final JsonNode second = query(Map.of("limit", "3", "page", "2")).answer(queue);

        assertEquals(List.of("AB-7"), ids(second));
        assertEquals(4, second.get("total").asInt());
        assertEquals(2, second.get("pages").asInt());
        assertEquals(2, second.get("page").asInt());
        assertEquals(List.of(), ids(query(Map.of("limit", "3", "page", "9")).answer(queue)), "a page past the end is empty");
        assertEquals("?counterpart=FR&sort=deadline&order=desc&limit=3&page=2",
                query(Map.of("counterpart", "FR", "sort", "deadline", "order", "desc", "limit", "3", "page", "2")).queryString());
        assertEquals("?counterpart=FR", query(Map.of("counterpart", "FR", "limit", "3", "page", "2")).filtersOnly().queryString(),
                "each instance is asked for its matching entries; the asking one orders and pages them all");
    }

    @Test
    void shouldRefuseWhatItDoesNotUnderstandNamingTheParameter() {
        assertEquals("sort age is not one of received, pending, deadline, counterpart, authority, kind, category, urgency, request",
                assertThrows(ReviewQueueQuery.Refused.class, () -> query(Map.of("sort", "age"))).getMessage());
        assertTrue(assertThrows(ReviewQueueQuery.Refused.class, () -> query(Map.of("kind", "MLA"))).getMessage().startsWith("kind MLA is not one of"));
        assertTrue(assertThrows(ReviewQueueQuery.Refused.class, () -> query(Map.of("counterpart", "France"))).getMessage().startsWith("counterpart France"));
        assertEquals("limit must be a whole number from 1 to 1000, not 5000",
                assertThrows(ReviewQueueQuery.Refused.class, () -> query(Map.of("limit", "5000"))).getMessage());
        assertEquals("page needs limit, the entries per page", assertThrows(ReviewQueueQuery.Refused.class, () -> query(Map.of("page", "2"))).getMessage());
        assertEquals("overdue must be true or false, not yes", assertThrows(ReviewQueueQuery.Refused.class, () -> query(Map.of("overdue", "yes"))).getMessage());
    }
}
