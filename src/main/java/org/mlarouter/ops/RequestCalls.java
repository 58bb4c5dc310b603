package org.mlarouter.ops;

import java.util.Optional;

import org.mlarouter.net.WebCall;

/** Calls about requests that the API and the console share: the review queue's query, an agency's request, the API's description. */
final class RequestCalls {

    private RequestCalls() {
    }

    /** An agency's request ({@code POST /api/requests}), with its {@code wait} (at most 30 s) checked first. */
    static OperatorView.Answer intake(final WebCall call, final OperatorView view, final Optional<Identity> who) throws java.io.IOException {
        if (who.isEmpty()) {
            return OperatorView.Answer.error(401, "Submitting needs a signed-in agency");
        }
        java.time.Duration wait = java.time.Duration.ZERO;
        if (call.query("wait").isPresent()) {
            try {
                wait = org.mlarouter.config.DurationValidator.parse(call.query("wait").get());
            } catch (final RuntimeException e) {
                return OperatorView.Answer.error(400, "wait " + call.query("wait").get() + " is not a duration such as 5s");
            }
            if (wait.isNegative() || wait.compareTo(java.time.Duration.ofSeconds(30)) > 0) {
                return OperatorView.Answer.error(400, "wait must be at most 30s");
            }
        }
        return view.submit(call.body(), who.get(), wait);
    }

    /** The review queue as the call's parameters ask for it ({@link ReviewQueueQuery}); 400 naming a parameter not understood. */
    static OperatorView.Answer queue(final WebCall call, final OperatorView view) {
        final ReviewQueueQuery query;
        try {
            query = ReviewQueueQuery.of(call::query);
        } catch (final ReviewQueueQuery.Refused e) {
            return OperatorView.Answer.error(400, e.getMessage());
        }
        return view.pendingReviews(query, call.flag("local"));
    }

    /** A replay of dead letters ({@code POST /api/dead-letters/replay?reason=R[&topic=requests|reviews][&since=T]}); 400 naming a bad parameter. */
    static OperatorView.Answer replay(final WebCall call, final OperatorView view, final Optional<Identity> who) {
        if (who.isEmpty()) {
            return OperatorView.Answer.error(401, "Replaying needs a signed-in operator");
        }
        final Optional<String> reason = call.query("reason").filter(value -> !value.isBlank());
        final String topic = call.query("topic").orElse("requests");
        if (reason.isEmpty() || !(topic.equals("requests") || topic.equals("reviews"))) {
            return OperatorView.Answer.error(400, reason.isEmpty() ? "reason is required" : "topic must be requests or reviews, not " + topic);
        }
        Optional<java.time.Instant> since = Optional.empty();
        if (call.query("since").isPresent()) {
            try {
                since = Optional.of(java.time.Instant.parse(call.query("since").get()));
            } catch (final java.time.format.DateTimeParseException e) {
                return OperatorView.Answer.error(400, "since " + call.query("since").get() + " is not an instant such as 2026-12-06T08:00:00Z");
            }
        }
        return view.replayDeadLetters(topic.equals("reviews"), reason.get(), since, who.get().name());
    }

    /** The description of the /api paths (OpenAPI 3), from the jar. */
    static String openApi() throws java.io.IOException {
        try (java.io.InputStream in = RequestCalls.class.getResourceAsStream("/api/openapi.json")) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
