package org.mlarouter.runtime;

import java.time.Instant;
import java.util.Optional;

import org.mlarouter.clients.DeadLetterTool;
import org.mlarouter.config.RouterSettings;
import org.mlarouter.json.Json;
import org.mlarouter.ops.OperatorView.Answer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/dead-letters/replay} (role {@code operator}): {@code dlq replay} done by the router for a signed-in
 * operator, with its own key-encryption keys to open sealed dead letters. Logged with the reason, the count and who.
 */
final class DeadLetterReplays {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterReplays.class);

    private final RouterSettings settings;

    DeadLetterReplays(final RouterSettings settings) {
        this.settings = settings;
    }

    Answer replay(final boolean reviews, final String reason, final Optional<Instant> since, final String who) {
        final DeadLetterTool tool = new DeadLetterTool(settings, reviews);
        final DeadLetterTool.Replayed replayed;
        try {
            replayed = tool.replay(Optional.of(reason), since);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return Answer.error(503, "Interrupted");
        } catch (final RuntimeException e) {
            return Answer.error(503, "The dead letters could not be replayed: " + e.getMessage());
        }
        LOG.info("Dead letters {} on {} replayed to {} by {}: {} sent, {} replayed before, {} failed again, {} not replayable", reason,
                tool.deadLetterTopic(), tool.inputTopic(), who, replayed.sent(), replayed.alreadyReplayed(), replayed.failedAgain(), replayed.unreadable());
        return new Answer(200, Json.object().put("deadLetterTopic", tool.deadLetterTopic()).put("topic", tool.inputTopic()).put("reason", reason)
                .put("replayed", replayed.sent()).put("alreadyReplayed", replayed.alreadyReplayed()).put("failedAgain", replayed.failedAgain())
                .put("notReplayable", replayed.unreadable()));
    }
}
