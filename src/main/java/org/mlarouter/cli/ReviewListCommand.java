package org.mlarouter.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import org.mlarouter.clients.OperatorClient;
import org.mlarouter.ops.ReviewQueueQuery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code mla-router review list}: the review queue of every router instance, with what a reviewer triages by, in
 * aligned columns (or one JSON object per line), filtered, ordered and paged by the router ({@link ReviewQueueQuery}).
 */
@Command(name = "list", mixinStandardHelpOptions = true, description = "Requests pending review, from every router instance: oldest"
        + " pending first unless --sort says otherwise; deadlines in the home state's time zone.")
final class ReviewListCommand implements Callable<Integer> {

    private static final String[] HEADINGS = {"request", "received", "authority", "kind", "category", "urgency", "counterpart",
        "deadline", "days left", "reasons"};

    @ParentCommand
    ReviewCommand parent;

    @Mixin
    OperatorOptions operator;

    @Option(names = "--overdue", description = "Only reviews past their deadline.")
    boolean overdueOnly;

    @Option(names = "--coverage-changed", description = "Only requests that their counterpart's new coverage would decide otherwise.")
    boolean coverageChangedOnly;

    @Option(names = "--counterpart", paramLabel = "CODE", description = "Only this counterpart state (ISO 3166-1 alpha-2).")
    String counterpart;

    @Option(names = "--kind", paramLabel = "KIND", description = "Only this kind: MUTUAL_LEGAL_ASSISTANCE, EXTRADITION or TRANSFER_OF_SENTENCED_PERSON.")
    String kind;

    @Option(names = "--category", paramLabel = "CATEGORY", description = "Only this offence category (CORRUPTION, FRAUD, ...).")
    String category;

    @Option(names = "--urgency", paramLabel = "URGENCY", description = "Only URGENT or ROUTINE requests.")
    String urgency;

    @Option(names = "--authority", paramLabel = "TEXT", description = "Only requesting authorities whose name contains this (any case).")
    String authority;

    @Option(names = "--id", paramLabel = "PREFIX", description = "Only request ids that start with this.")
    String idPrefix;

    @Option(names = "--sort", paramLabel = "FIELD", defaultValue = "pending",
            description = "Order by received, pending, deadline, counterpart, authority, kind, category, urgency or request (default: ${DEFAULT-VALUE}).")
    String sort;

    @Option(names = "--desc", description = "Newest, latest or last first.")
    boolean descending;

    @Option(names = "--limit", paramLabel = "N", description = "Show N per page (at most " + ReviewQueueQuery.MAX_LIMIT + "); all when not given.")
    Integer limit;

    @Option(names = "--page", paramLabel = "P", description = "The page to show, from 1 (with --limit).")
    Integer page;

    @Option(names = "--json", description = "One JSON object per line, for scripts.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        final MlaRouter root = parent.root;
        final ReviewQueueQuery query;
        try {
            query = ReviewQueueQuery.of(name -> java.util.Optional.ofNullable(switch (name) {
                case "counterpart" -> counterpart;
                case "kind" -> kind;
                case "category" -> category;
                case "urgency" -> urgency;
                case "authority" -> authority;
                case "id" -> idPrefix;
                case "overdue" -> overdueOnly ? "true" : null;
                case ReviewQueueQuery.COVERAGE_CHANGED -> coverageChangedOnly ? "true" : null;
                case "sort" -> sort;
                case "order" -> descending ? "desc" : null;
                case "limit" -> limit == null ? null : String.valueOf(limit);
                case "page" -> page == null ? null : String.valueOf(page);
                default -> null;
            }));
        } catch (final ReviewQueueQuery.Refused e) {
            root.err.println("mla-router: --" + e.getMessage());
            return MlaRouter.USAGE;
        }
        final OperatorClient.Answer answer = operator.client(root.environment).pendingReviews(query.queryString());
        if (answer.status() != 200) {
            root.err.println("mla-router: " + answer.message());
            return MlaRouter.FAILURE;
        }
        final JsonNode entries = answer.json().isArray() ? answer.json() : answer.json().path("reviews");
        if (json) {
            entries.forEach(root.out::println);
            return 0;
        }
        final List<String[]> rows = new ArrayList<>();
        rows.add(HEADINGS);
        entries.forEach(entry -> rows.add(row(entry)));
        root.out.print(aligned(rows));
        final String what = overdueOnly ? " overdue review" : " pending review";
        if (answer.json().isArray()) {
            root.out.println(entries.size() + what + (entries.size() == 1 ? "" : "s"));
        } else {
            final JsonNode paged = answer.json();
            root.out.printf("%d of %d%s%s, page %d of %d%n", entries.size(), paged.path("total").asInt(), what,
                    paged.path("total").asInt() == 1 ? "" : "s", paged.path("page").asInt(), paged.path("pages").asInt());
        }
        return 0;
    }

    private static String[] row(final JsonNode entry) {
        final StringBuilder reasons = new StringBuilder();
        entry.path("reasons").forEach(reason -> reasons.append(reasons.length() == 0 ? "" : ",").append(reason.asText()));
        final String name = entry.path("counterpartName").asText("");
        final long daysLeft = entry.path("daysLeft").asLong();
        return new String[] {entry.path("requestId").asText(), entry.path("receivedDate").asText("–"), entry.path("requestingAuthority").asText("–"),
            StatusCommand.words(entry.path("kind").asText()), StatusCommand.words(entry.path("offenceCategory").asText("–")), StatusCommand.words(entry.path("urgency").asText()),
            entry.path("counterpartState").asText() + (name.isEmpty() ? "" : " " + name), entry.path("deadlineDate").asText(),
            entry.path("overdue").asBoolean() ? daysLeft + " overdue" : String.valueOf(daysLeft), reasons + awaiting(entry)};
    }

    /** The rows in columns as wide as their widest cell, two spaces apart; the last column as it is. */
    static String aligned(final List<String[]> rows) {
        final int columns = rows.get(0).length;
        final int[] widths = new int[columns];
        for (final String[] row : rows) {
            for (int column = 0; column < columns - 1; column++) {
                widths[column] = Math.max(widths[column], row[column].codePointCount(0, row[column].length()));
            }
        }
        final StringBuilder text = new StringBuilder();
        for (final String[] row : rows) {
            for (int column = 0; column < columns; column++) {
                text.append(row[column]);
                if (column < columns - 1) {
                    text.append(" ".repeat(widths[column] - row[column].codePointCount(0, row[column].length()) + 2));
                }
            }
            text.append(System.lineSeparator());
        }
        return text.toString();
    }

    /** The proposal awaiting a second supervisor, as the queue shows it after the reasons; empty when none. */
    static String awaiting(final JsonNode entry) {
        final JsonNode proposal = entry.path("awaitingConfirmation");
        final JsonNode changed = entry.path(ReviewQueueQuery.COVERAGE_CHANGED);
        final StringBuilder reasons = new StringBuilder();
        changed.path("reasons").forEach(reason -> reasons.append(reasons.length() == 0 ? "" : ",").append(reason.asText()));
        return (proposal.isObject() ? "  [awaiting confirmation: " + proposal.path("decision").asText() + " proposed by "
                + proposal.path("proposedBy").asText() + "]" : "")
                + (changed.isObject() ? "  [coverage changed since " + changed.path("sinceDate").asText() + ": now " + changed.path("route").asText()
                        + " " + reasons + "]" : "");
    }
}
