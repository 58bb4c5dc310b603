package org.mlarouter.config;

import java.nio.file.Path;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.mlarouter.policy.FourEyes;
import org.mlarouter.privacy.OutcomeSignature;

/**
 * The keys of the review loop ({@code mla.review.*}): deadlines, how long an outcome waits for its request, the signing
 * key of outcomes and four-eyes (of outcomes, and of treaty coverage changes: {@code mla.treaties.four.eyes}); their definitions, and reading the signing key. {@link RouterConfig} has the getters.
 */
public final class ReviewKeys {

    public static final String REVIEW_DEADLINE_URGENT_CONFIG = "mla.review.deadline.urgent";
    private static final String REVIEW_DEADLINE_URGENT_DOC = "An URGENT request pending review is overdue this long after its"
            + " NEEDS_REVIEW decision; its pending decision is then written once to the overdue topic.";

    public static final String REVIEW_DEADLINE_ROUTINE_CONFIG = "mla.review.deadline.routine";
    private static final String REVIEW_DEADLINE_ROUTINE_DOC = "As mla.review.deadline.urgent, for a ROUTINE request.";

    public static final String HOME_ZONE_CONFIG = "mla.home.zone";
    private static final String HOME_ZONE_DOC = "The home state's time zone (an IANA zone id), in which the review queue gives each"
            + " deadline's date and the days left to it.";

    public static final String REVIEW_AWAIT_REQUEST_CONFIG = "mla.review.await.request";
    private static final String REVIEW_AWAIT_REQUEST_DOC = "How long a review outcome for a request the router has not decided"
            + " waits for it before it goes to the review dead-letter topic as UNKNOWN_REQUEST: until the router has read requests"
            + " sent this long after the outcome, or has read no request for this long. An outcome can arrive before its request"
            + " when both are read again after a reset, or when the request had to be moved to its id's partition.";

    public static final String REVIEW_CHECK_INTERVAL_CONFIG = "mla.review.check.interval";
    private static final String REVIEW_CHECK_INTERVAL_DOC = "How often (wall-clock time) the router looks for reviews past their"
            + " deadline and for request statuses past their retention.";

    public static final String REVIEW_SIGNING_KEY_FILE_CONFIG = "mla.review.signing.key.file";
    private static final String REVIEW_SIGNING_KEY_FILE_DOC = "A file holding the key (32 random bytes or more, Base64) the router"
            + " signs the review outcomes it writes with (HMAC-SHA256, header mla.signature); an outcome on the review topic without a"
            + " valid signature is dead-lettered as UNSIGNED_OUTCOME. Every instance of one router reads the same key. Required to run"
            + " the router: 'mla-router keys new FILE' writes one; the embedded stack makes its own in its data directory.";

    public static final String REVIEW_FOUR_EYES_CONFIG = "mla.review.four.eyes";
    private static final String REVIEW_FOUR_EYES_DOC = "Which reviewers' outcomes a second supervisor confirms before they take"
            + " effect: refusals, all or none. A covered outcome is held as a proposal (status AWAITING_CONFIRMATION) until another"
            + " supervisor confirms or returns it.";

    public static final String TREATIES_FOUR_EYES_CONFIG = "mla.treaties.four.eyes";
    private static final String TREATIES_FOUR_EYES_DOC = "Whether a change of treaty coverage waits for a supervisor's approval"
            + " before the router applies it. When true, 'treaties load' and POST /api/treaties propose changes (on the treaty-changes"
            + " topic) and a supervisor other than the proposer approves or rejects each ('treaties approve CC', the console's"
            + " Coverage page); when false, a change is applied at once, its author and note recorded all the same.";

    private ReviewKeys() {
    }

    static void define(final ConfigDef config) {
        config
                .define(REVIEW_DEADLINE_URGENT_CONFIG, Type.STRING, "2d", new DurationValidator(), Importance.MEDIUM, REVIEW_DEADLINE_URGENT_DOC)
                .define(REVIEW_DEADLINE_ROUTINE_CONFIG, Type.STRING, "30d", new DurationValidator(), Importance.MEDIUM, REVIEW_DEADLINE_ROUTINE_DOC)
                .define(HOME_ZONE_CONFIG, Type.STRING, "Asia/Almaty", (name, value) -> {
                    try {
                        java.time.ZoneId.of(String.valueOf(value).trim());
                    } catch (final java.time.DateTimeException e) {
                        throw new ConfigException(name, value, "not a time zone id such as Asia/Almaty or UTC");
                    }
                }, Importance.LOW, HOME_ZONE_DOC)
                .define(REVIEW_CHECK_INTERVAL_CONFIG, Type.STRING, "1m", new DurationValidator(), Importance.LOW, REVIEW_CHECK_INTERVAL_DOC)
                .define(REVIEW_AWAIT_REQUEST_CONFIG, Type.STRING, "1m", new DurationValidator(), Importance.LOW, REVIEW_AWAIT_REQUEST_DOC)
                .define(REVIEW_SIGNING_KEY_FILE_CONFIG, Type.STRING, "", Importance.HIGH, REVIEW_SIGNING_KEY_FILE_DOC)
                .define(REVIEW_FOUR_EYES_CONFIG, Type.STRING, FourEyes.REFUSALS.setting(), (name, value) -> {
                    try {
                        FourEyes.of((String) value);
                    } catch (final IllegalArgumentException e) {
                        throw new ConfigException(name, value, e.getMessage());
                    }
                }, Importance.MEDIUM, REVIEW_FOUR_EYES_DOC)
                .define(TREATIES_FOUR_EYES_CONFIG, Type.BOOLEAN, false, Importance.MEDIUM, TREATIES_FOUR_EYES_DOC);
    }

    /**
     * The signing key of a key file.
     *
     * @throws ConfigException with one line when no key file is set or it cannot be read
     */
    static OutcomeSignature outcomeSignature(final String file) {
        if (file.isBlank()) {
            throw new ConfigException(REVIEW_SIGNING_KEY_FILE_CONFIG + " is not set: the router signs review outcomes with its key;"
                    + " write one with 'mla-router keys new FILE' and give every instance the same file");
        }
        return OutcomeSignature.fromFile(REVIEW_SIGNING_KEY_FILE_CONFIG, Path.of(file));
    }
}
