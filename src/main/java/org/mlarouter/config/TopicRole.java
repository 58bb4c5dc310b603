package org.mlarouter.config;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.apache.avro.specific.SpecificRecord;
import org.mlarouter.avro.AssistanceRequest;
import org.mlarouter.avro.ReviewOutcome;
import org.mlarouter.avro.Route;
import org.mlarouter.avro.RoutingDecision;
import org.mlarouter.avro.TreatyCoverage;

/**
 * Every topic the router reads or writes, by its role: declared once here, with the configuration key that names it,
 * its default name (docs/contract.md), its command-line option and label, what it carries and how it is created. The
 * configuration keys, the command-line options, topic creation, the topology, the console, {@code tail},
 * {@code throughput} and {@code reset} all take their topics from here; nothing else spells a topic's name.
 */
public enum TopicRole {

    REQUESTS("mla.topic.requests", "mla.requests", "--requests-topic", "requests", AssistanceRequest.class, Layout.PARTITIONED, null,
            "Input topic: AssistanceRequest values keyed by requestId."),
    ACCEPTED("mla.topic.accepted", "mla.decisions.accepted", "--accepted-topic", "accepted", RoutingDecision.class, Layout.PARTITIONED,
            Route.ACCEPTED, "Output topic for decisions with route ACCEPTED."),
    REFUSED("mla.topic.refused", "mla.decisions.refused", "--refused-topic", "refused", RoutingDecision.class, Layout.PARTITIONED,
            Route.REFUSED, "Output topic for decisions with route REFUSED."),
    NEEDS_REVIEW("mla.topic.needs-review", "mla.decisions.needs-review", "--needs-review-topic", "needs review", RoutingDecision.class,
            Layout.PARTITIONED, Route.NEEDS_REVIEW, "Output topic for decisions with route NEEDS_REVIEW."),
    DEAD_LETTERS("mla.topic.dead-letters", "mla.requests.dlq", "--dead-letter-topic", "dead letters", null, Layout.PARTITIONED, null,
            "Dead-letter topic: the original key and value bytes of records that cannot be decoded or processed, with"
            + " headers saying why and where from."),
    REVIEWS("mla.topic.reviews", "mla.reviews", "--reviews-topic", "reviews", ReviewOutcome.class, Layout.PARTITIONED, null,
            "Input topic: ReviewOutcome values keyed by requestId, a reviewer's outcome for a request pending review;"
            + " as many partitions as the request topic."),
    REVIEWS_OVERDUE("mla.topic.reviews-overdue", "mla.reviews.overdue", "--reviews-overdue-topic", "overdue", RoutingDecision.class,
            Layout.PARTITIONED, null, "Output topic: the pending RoutingDecision of a review past its deadline, written once."),
    REVIEW_DEAD_LETTERS("mla.topic.review-dead-letters", "mla.reviews.dlq", "--review-dead-letter-topic", "review dead letters", null,
            Layout.PARTITIONED, null, "Dead-letter topic of review outcomes that cannot be applied, with the same headers as the request dead letters."),
    TREATIES("mla.topic.treaties", "mla.treaties", "--treaties-topic", "treaties", TreatyCoverage.class, Layout.COMPACTED_SINGLE_PARTITION,
            null, "Compacted topic of TreatyCoverage values keyed by counterpart code, read whole by every instance into a"
            + " global store; a tombstone removes a counterpart."),
    KEYS("mla.topic.keys", "mla.keys", "--keys-topic", "data keys", null, Layout.COMPACTED, null,
            "Compacted topic of each request's data key (personal data encrypted), wrapped by the key-encryption key, keyed by"
            + " requestId; written by the router at a request's first decision, read whole by every instance; erasing a"
            + " request writes its tombstone."),
    TREATY_CHANGES("mla.topic.treaty-changes", "mla.treaties.changes", "--treaty-changes-topic", "treaty changes", null,
            Layout.KEPT_SINGLE_PARTITION, null, "Every change of treaty coverage, kept: who proposed it and why, who approved or"
            + " rejected it (mla.treaties.four.eyes) and what changed; JSON values keyed by counterpart code. Holds no personal data.");

    /** How a topic is created. */
    public enum Layout {
        /** The configured number of partitions, deleted by time. */
        PARTITIONED,
        /** One partition, compacted: reference data read whole by every instance. */
        COMPACTED_SINGLE_PARTITION,
        /** The configured number of partitions, compacted: one current record per key, kept until its tombstone. */
        COMPACTED,
        /** One partition, never deleted: a small record of changes, read whole. */
        KEPT_SINGLE_PARTITION
    }

    private final String configKey;
    private final String defaultName;
    private final String option;
    private final String label;
    private final Class<? extends SpecificRecord> valueType;
    private final Layout layout;
    private final Route route;
    private final String doc;

    TopicRole(final String configKey, final String defaultName, final String option, final String label,
              final Class<? extends SpecificRecord> valueType, final Layout layout, final Route route, final String doc) {
        this.configKey = configKey;
        this.defaultName = defaultName;
        this.option = option;
        this.label = label;
        this.valueType = valueType;
        this.layout = layout;
        this.route = route;
        this.doc = doc;
    }

    /** The command-line option that names this topic, e.g. {@code --requests-topic}. */
    public String option() {
        return option;
    }

    /** What the console and the tools call it, e.g. "needs review". */
    public String label() {
        return label;
    }

    /** The Avro record its values are (in the Confluent framing); empty for a dead-letter topic, whose values are raw bytes. */
    public Optional<Class<? extends SpecificRecord>> valueType() {
        return Optional.ofNullable(valueType);
    }

    /** The configuration key that names this topic, e.g. {@code mla.topic.requests}. */
    public String configKey() {
        return configKey;
    }

    public String defaultName() {
        return defaultName;
    }

    public Layout layout() {
        return layout;
    }

    public String doc() {
        return doc;
    }

    /** The route whose decisions this topic carries, if it is a decision topic. */
    public Optional<Route> route() {
        return Optional.ofNullable(route);
    }

    /** The decision topic of a route. */
    public static TopicRole of(final Route route) {
        for (final TopicRole role : values()) {
            if (role.route == route) {
                return role;
            }
        }
        throw new IllegalArgumentException("no topic for route " + route);
    }

    /**
     * How long a topic the router creates keeps its records by default: 14 days for the request and dead-letter topics,
     * {@code mla.request.retention} (empty here) for the decisions, the overdue topic and the review outcomes, which a
     * reset reads again; none for a compacted topic, or the treaty changes, which are kept.
     */
    public Optional<String> defaultRetention() {
        switch (this) {
            case REQUESTS:
            case DEAD_LETTERS:
            case REVIEW_DEAD_LETTERS:
                return Optional.of("14d");
            case TREATIES:
            case KEYS:
            case TREATY_CHANGES:
                return Optional.empty();
            default:
                return Optional.of("");
        }
    }

    /** The key that sets how long this topic keeps its records when the router creates it, e.g. {@code mla.topic.requests.retention}. */
    public String retentionKey() {
        return configKey + ".retention";
    }

    /** Whether the router reads this topic (the others it writes). */
    public boolean isInput() {
        return this == REQUESTS || this == REVIEWS || this == TREATIES;
    }

    /** The decision topics, in the order of {@link Route}. */
    public static List<TopicRole> decisions() {
        return Arrays.stream(Route.values()).map(TopicRole::of).toList();
    }

    /** Refuses, naming both keys, a configuration that gives two roles the same topic. */
    static void requireDistinct(final java.util.function.Function<TopicRole, String> topicOf) {
        final java.util.Map<String, String> keyByTopic = new java.util.HashMap<>();
        for (final TopicRole role : values()) {
            final String other = keyByTopic.putIfAbsent(topicOf.apply(role), role.configKey());
            if (other != null) {
                throw new org.apache.kafka.common.config.ConfigException(role.configKey(), topicOf.apply(role),
                        "the same topic is already configured as " + other);
            }
        }
    }
}
