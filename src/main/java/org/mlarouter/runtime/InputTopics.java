package org.mlarouter.runtime;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.mlarouter.clients.AdminCalls;
import org.mlarouter.clients.Clients;
import org.mlarouter.config.RouterSettings;
import org.mlarouter.config.TopicRole;

/**
 * The partition count of the request topic, which the topology needs to tell a record on its request id's partition from
 * one that must be moved; the review topic must have as many (docs/contract.md), or an outcome and its request could not
 * meet in one task, and so must the keys topic in encrypted mode (an erasure meets its request's status there).
 */
final class InputTopics {

    private InputTopics() {
    }

    /**
     * The topics the router's tasks read, each on the partition of a request id: the requests, the review outcomes and,
     * in encrypted mode, the keys (for erasures). The treaty topic is read whole, by a global store.
     */
    static List<String> names(final RouterSettings settings) {
        final String requests = settings.router().topic(TopicRole.REQUESTS);
        final String reviews = settings.router().topic(TopicRole.REVIEWS);
        return settings.router().personalDataEncrypted() ? List.of(requests, reviews, settings.router().topic(TopicRole.KEYS))
                : List.of(requests, reviews);
    }

    static int partitions(final RouterSettings settings) throws InterruptedException {
        final String requests = settings.router().topic(TopicRole.REQUESTS);
        final String reviews = settings.router().topic(TopicRole.REVIEWS);
        final String keys = settings.router().topic(TopicRole.KEYS);
        final List<String> topics = names(settings);
        final Map<String, TopicDescription> described;
        try (Admin admin = new Clients(settings).admin()) {
            described = AdminCalls.call("describe topics " + String.join(", ", topics),
                    () -> admin.describeTopics(topics).allTopicNames().get(60, TimeUnit.SECONDS));
        }
        final int requestPartitions = described.get(requests).partitions().size();
        final int reviewPartitions = described.get(reviews).partitions().size();
        if (requestPartitions != reviewPartitions) {
            throw new IllegalStateException(reviews + " has " + reviewPartitions + " partitions and " + requests + " has "
                    + requestPartitions + ": they must have as many, so that a review outcome meets its request");
        }
        if (described.containsKey(keys) && described.get(keys).partitions().size() != requestPartitions) {
            throw new IllegalStateException(keys + " has " + described.get(keys).partitions().size() + " partitions and " + requests
                    + " has " + requestPartitions + ": they must have as many, so that an erasure meets its request's status");
        }
        return requestPartitions;
    }
}
