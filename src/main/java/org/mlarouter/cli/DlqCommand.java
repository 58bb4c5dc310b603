package org.mlarouter.cli;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.mlarouter.clients.DeadLetterTool;
import org.mlarouter.config.DurationValidator;
import org.mlarouter.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code mla-router dlq}: the dead letters, listed by their headers, and sent back once their cause is fixed. */
@Command(name = "dlq", mixinStandardHelpOptions = true, description = "Dead letters: list them (by their headers, never their content),"
        + " or replay them to the topic they came from once their cause is fixed.",
        subcommands = {DlqCommand.ListCommand.class, DlqCommand.ReplayCommand.class})
final class DlqCommand extends CommandGroup {

    /** What list and replay share: which dead-letter topic, which reason, since when, and the Kafka settings. */
    abstract static class Selection implements Callable<Integer> {
        @ParentCommand
        DlqCommand parent;

        @Mixin
        SettingsOptions options;

        @Option(names = "--topic", paramLabel = "requests|reviews", defaultValue = "requests",
                description = "The request dead-letter topic (default) or the review one.")
        String topic;

        @Option(names = "--since", paramLabel = "TIME", description = "Only dead letters written since: an ISO-8601 instant"
                + " (2026-12-06T08:00:00Z) or a duration ago (2h, 3d).")
        String since;

        /** The selection's time, checked; empty for all. */
        Optional<Instant> sinceTime() {
            if (since == null) {
                return Optional.empty();
            }
            try {
                return Optional.of(Instant.parse(since));
            } catch (final DateTimeParseException notAnInstant) {
                try {
                    return Optional.of(Instant.now().minus(DurationValidator.parse(since)));
                } catch (final RuntimeException notADuration) {
                    throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                            "--since " + since + " is neither an instant such as 2026-12-06T08:00:00Z nor a duration such as 2h");
                }
            }
        }

        /** The tool of the dead-letter topic chosen, once the options are checked and Kafka answers. */
        DeadLetterTool tool() throws InterruptedException {
            final boolean reviews = reviews();
            return new DeadLetterTool(options.reachableSettings(parent.root.environment, false), reviews);
        }

        boolean reviews() {
            if (!topic.equals("requests") && !topic.equals("reviews")) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--topic must be requests or reviews, not " + topic);
            }
            return topic.equals("reviews");
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The dead letters: where, when, why, from where; never their content.")
    static final class ListCommand extends Selection {
        @Option(names = "--reason", paramLabel = "REASON", description = "Only this reason (UNKNOWN_SCHEMA_ID, DUPLICATE_REQUEST_ID, ...).")
        String reason;

        @Option(names = "--json", description = "One JSON object per line, for scripts.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            final Optional<Instant> from = sinceTime();
            final DeadLetterTool tool = tool();
            final List<DeadLetterTool.Letter> letters = tool.list(Optional.ofNullable(reason), from);
            for (final DeadLetterTool.Letter letter : letters) {
                if (json) {
                    parent.root.out.println(Json.object().put("at", letter.at()).put("time", letter.time().toString()).put("reason", letter.reason())
                            .put("stage", letter.stage()).put("source", letter.source()).put("requestId", letter.requestId().orElse(null))
                            .put("valueKept", letter.valueKept()));
                } else {
                    parent.root.out.printf("%s  %-22s %-9s %-24s from %s%s%n", letter.time(), letter.reason(), letter.stage(), letter.at(), letter.source(),
                            letter.requestId().map(id -> "  request " + id).orElse("") + (letter.valueKept() ? "" : "  (value not kept)"));
                }
            }
            if (!json) {
                parent.root.out.println(letters.size() + " dead letter" + (letters.size() == 1 ? "" : "s") + " on " + tool.deadLetterTopic());
            }
            return 0;
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true, description = "Send the dead letters of a reason back to the topic they came"
            + " from (requests or reviews), each once: a replayed record names its dead letter in the header mla.replayed.from.")
    static final class ReplayCommand extends Selection {
        @Option(names = "--reason", paramLabel = "REASON", required = true, description = "The reason whose dead letters are replayed.")
        String reason;

        @Override
        public Integer call() throws Exception {
            final Optional<Instant> from = sinceTime();
            final DeadLetterTool tool = tool();
            final DeadLetterTool.Replayed replayed = tool.replay(Optional.of(reason), from);
            parent.root.out.println("Replayed " + replayed.sent() + " dead letter" + (replayed.sent() == 1 ? "" : "s") + " (" + reason + ") to "
                    + tool.inputTopic() + "; " + replayed.alreadyReplayed() + " replayed before, " + replayed.failedAgain()
                    + " failed again after a replay (not sent again), " + replayed.unreadable() + " not replayable (value not kept, or its key deleted)");
            return replayed.unreadable() > 0 ? MlaRouter.FAILURE : 0;
        }
    }
}
