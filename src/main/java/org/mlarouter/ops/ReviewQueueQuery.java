package org.mlarouter.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mlarouter.avro.AssistanceKind;
import org.mlarouter.avro.OffenceCategory;
import org.mlarouter.avro.Urgency;
import org.mlarouter.json.Json;

/**
 * What a reviewer asks of the review queue ({@code GET /reviews}, the console's queue, {@code review list}): filters,
 * an order and a page. The filters are exact but for {@code authority} (a part of the name, any case) and {@code id} (a
 * prefix of the request id); {@code overdue} and {@code coverageChanged} take true or false. Without {@code limit} the answer is the contract's array of every matching entry; with
 * it, {@code {"total", "overdue", "coverageChanged", "page", "pages", "limit", "counterparts", "timeZone", "reviews"}}: the counterparts and time zone
 * of every matching entry, the entries of the page.
 *
 * @param filters   the entry's field by query parameter, and the value asked for
 * @param sort      the query parameter's name of the field sorted on ({@link #SORTS})
 * @param limit     entries per page, or empty for all of them as an array
 */
public record ReviewQueueQuery(Map<String, String> filters, Optional<Boolean> overdue, Optional<String> idPrefix, String sort,
                               boolean descending, Optional<Integer> limit, int page) {

    /** The largest page. */
    public static final int MAX_LIMIT = 1000;

    /** The orders, each a parameter's value and the entry's field it sorts on; the request id breaks ties. */
    public static final Map<String, String> SORTS = orderedMap("received", "receivedAt", "pending", "pendingSince", "deadline", "deadline",
            "counterpart", "counterpartState", "authority", "requestingAuthority", "kind", "kind", "category", "offenceCategory",
            "urgency", "urgency", "request", "requestId");

    private static final java.util.Set<String> TIMES = java.util.Set.of("receivedAt", "pendingSince", "deadline");

    /** The exact filters, each a parameter and the entry's field. */
    private static final Map<String, String> EXACT = orderedMap("counterpart", "counterpartState", "kind", "kind", "category", "offenceCategory",
            "urgency", "urgency");

    /** The filter on whether new coverage would decide an entry otherwise ({@code coverageChanged=true|false}). */
    public static final String COVERAGE_CHANGED = "coverageChanged";

    /** The oldest pending entry only, with the counts of the whole queue: the overview's. */
    public static final ReviewQueueQuery OLDEST = new ReviewQueueQuery(Map.of(), Optional.empty(), Optional.empty(), "pending", false,
            Optional.of(1), 1);

    /** Everything, oldest pending first: the contract's {@code GET /reviews}. */
    public static final ReviewQueueQuery ALL = new ReviewQueueQuery(Map.of(), Optional.empty(), Optional.empty(), "pending", false,
            Optional.empty(), 1);

    /** A query refused: the parameter and what is wrong with it, in one line. */
    public static final class Refused extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        Refused(final String message) {
            super(message);
        }
    }

    /**
     * The query of a call's parameters.
     *
     * @throws Refused naming the first parameter that is not understood
     */
    public static ReviewQueueQuery of(final Function<String, Optional<String>> parameter) {
        final Map<String, String> filters = new LinkedHashMap<>();
        for (final String name : EXACT.keySet()) {
            parameter.apply(name).filter(value -> !value.isBlank()).ifPresent(value -> filters.put(name, checked(name, value.trim())));
        }
        parameter.apply("authority").filter(value -> !value.isBlank()).ifPresent(value -> filters.put("authority", value.trim()));
        parameter.apply(COVERAGE_CHANGED).filter(value -> !value.isBlank()).ifPresent(value -> filters.put(COVERAGE_CHANGED, switch (value) {
            case "true", "false" -> value;
            default -> throw new Refused("coverageChanged must be true or false, not " + value);
        }));
        final Optional<Boolean> overdue = parameter.apply("overdue").filter(value -> !value.isBlank()).map(value -> switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new Refused("overdue must be true or false, not " + value);
        });
        final String sort = parameter.apply("sort").filter(value -> !value.isBlank()).orElse("pending");
        if (!SORTS.containsKey(sort)) {
            throw new Refused("sort " + sort + " is not one of " + String.join(", ", SORTS.keySet()));
        }
        final String order = parameter.apply("order").filter(value -> !value.isBlank()).orElse("asc");
        if (!order.equals("asc") && !order.equals("desc")) {
            throw new Refused("order must be asc or desc, not " + order);
        }
        final Optional<Integer> limit = parameter.apply("limit").filter(value -> !value.isBlank()).map(value -> number("limit", value, MAX_LIMIT));
        final int page = parameter.apply("page").filter(value -> !value.isBlank()).map(value -> number("page", value, Integer.MAX_VALUE)).orElse(1);
        if (page > 1 && limit.isEmpty()) {
            throw new Refused("page needs limit, the entries per page");
        }
        return new ReviewQueueQuery(filters, overdue, parameter.apply("id").filter(value -> !value.isBlank()).map(String::trim), sort,
                order.equals("desc"), limit, page);
    }

    /** The query string of this query, for another instance or the API ({@code ?...}, or "" for {@link #ALL}). */
    public String queryString() {
        final List<String> parts = new ArrayList<>();
        filters.forEach((name, value) -> parts.add(name + "=" + encoded(value)));
        overdue.ifPresent(value -> parts.add("overdue=" + value));
        idPrefix.ifPresent(value -> parts.add("id=" + encoded(value)));
        if (!sort.equals("pending")) {
            parts.add("sort=" + sort);
        }
        if (descending) {
            parts.add("order=desc");
        }
        limit.ifPresent(value -> parts.add("limit=" + value));
        if (page > 1) {
            parts.add("page=" + page);
        }
        return parts.isEmpty() ? "" : "?" + String.join("&", parts);
    }

    /** Only the filters: what each instance is asked for, before the asking one orders and pages them all. */
    public ReviewQueueQuery filtersOnly() {
        return new ReviewQueueQuery(filters, overdue, idPrefix, "pending", false, Optional.empty(), 1);
    }

    /** Whether an entry of the queue passes the filters. */
    public boolean matches(final JsonNode entry) {
        for (final Map.Entry<String, String> filter : filters.entrySet()) {
            if (filter.getKey().equals(COVERAGE_CHANGED)) {
                if (entry.path(COVERAGE_CHANGED).isObject() != Boolean.parseBoolean(filter.getValue())) {
                    return false;
                }
                continue;
            }
            final String value = entry.path(filter.getKey().equals("authority") ? "requestingAuthority" : EXACT.get(filter.getKey())).asText("");
            final boolean passes = filter.getKey().equals("authority")
                    ? value.toLowerCase(Locale.ROOT).contains(filter.getValue().toLowerCase(Locale.ROOT))
                    : value.equalsIgnoreCase(filter.getValue());
            if (!passes) {
                return false;
            }
        }
        return overdue.map(wanted -> entry.path("overdue").asBoolean() == wanted).orElse(true)
                && idPrefix.map(prefix -> entry.path("requestId").asText().startsWith(prefix)).orElse(true);
    }

    /** The answer for the queue's entries, of every instance: filtered, ordered, paged. */
    public JsonNode answer(final List<JsonNode> entries) {
        final String field = SORTS.get(sort);
        // Times compare as instants ("...:00Z" is after "...:00.5Z" as text); the rest as text.
        Comparator<JsonNode> order = TIMES.contains(field) ? Comparator.comparing(entry -> instant(entry.path(field)))
                : Comparator.comparing(entry -> entry.path(field).asText(""));
        if (descending) {
            order = order.reversed();
        }
        final List<JsonNode> matching = entries.stream().filter(this::matches)
                .sorted(order.thenComparing(entry -> entry.path("requestId").asText())).toList();
        final ArrayNode shown = Json.MAPPER.createArrayNode();
        if (limit.isEmpty()) {
            matching.forEach(shown::add);
            return shown;
        }
        final int from = (int) Math.min(matching.size(), (long) (page - 1) * limit.get());
        matching.subList(from, Math.min(matching.size(), from + limit.get())).forEach(shown::add);
        final ObjectNode answer = Json.object().put("total", matching.size())
                .put("overdue", matching.stream().filter(entry -> entry.path("overdue").asBoolean()).count())
                .put(COVERAGE_CHANGED, matching.stream().filter(entry -> entry.path(COVERAGE_CHANGED).isObject()).count()).put("page", page)
                .put("pages", Math.max(1, (matching.size() + limit.get() - 1) / limit.get())).put("limit", limit.get());
        final ArrayNode counterparts = answer.putArray("counterparts");
        matching.stream().map(entry -> entry.path("counterpartState").asText()).distinct().sorted().forEach(counterparts::add);
        matching.stream().findFirst().ifPresent(first -> answer.set("timeZone", first.path("timeZone")));
        answer.set("reviews", shown);
        return answer;
    }

    private static String checked(final String name, final String value) {
        final List<String> symbols = switch (name) {
            case "kind" -> names(AssistanceKind.values());
            case "category" -> names(OffenceCategory.values());
            case "urgency" -> names(Urgency.values());
            default -> null;
        };
        if (symbols != null && !symbols.contains(value.toUpperCase(Locale.ROOT))) {
            throw new Refused(name + " " + value + " is not one of " + String.join(", ", symbols));
        }
        if (symbols == null && !value.matches("[A-Za-z]{2}")) {
            throw new Refused(name + " " + value + " is not a two-letter state code");
        }
        return value;
    }

    private static java.time.Instant instant(final JsonNode time) {
        try {
            return time.isTextual() ? java.time.Instant.parse(time.asText()) : java.time.Instant.MIN;
        } catch (final java.time.format.DateTimeParseException e) {
            return java.time.Instant.MIN;
        }
    }

    private static int number(final String name, final String value, final int max) {
        try {
            final int number = Integer.parseInt(value.trim());
            if (number >= 1 && number <= max) {
                return number;
            }
        } catch (final NumberFormatException e) {
            // said below
        }
        throw new Refused(name + " must be a whole number from 1 to " + max + ", not " + value);
    }

    private static List<String> names(final Enum<?>[] values) {
        return Arrays.stream(values).map(Enum::name).toList();
    }

    private static String encoded(final String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static Map<String, String> orderedMap(final String... pairs) {
        final Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(map);
    }
}
