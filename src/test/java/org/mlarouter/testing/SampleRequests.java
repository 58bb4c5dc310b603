package org.mlarouter.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.mlarouter.avro.AssistanceRequest;
import org.mlarouter.avro.Route;
import org.mlarouter.avro.TreatyCoverage;
import org.mlarouter.json.AvroJson;
import org.mlarouter.policy.RoutingPolicy;
import org.mlarouter.treaty.TreatyTable;

/** The 18 sample requests shipped in {@code examples/}, and what the policy makes of them. */
public final class SampleRequests {

    /** One request per line, in the JSON form the {@code submit} command reads. */
    public static final Path FILE = Path.of("examples/requests.jsonl");

    private SampleRequests() {
    }

    /** The sample requests, parsed afresh on each call (callers may change them, their ids for instance), in file order. */
    public static List<AssistanceRequest> parsed() throws IOException {
        return Files.readAllLines(FILE).stream().map(line -> AvroJson.parse(line, AssistanceRequest.class)).toList();
    }

    /** The route the policy gives each sample request under the shipped table, by request id, in file order. */
    public static Map<String, String> expectedRoutes() throws IOException {
        final RoutingPolicy policy = new RoutingPolicy("KZ", Clock.systemUTC());
        final TreatyTable table = TreatyTable.shipped("KZ");
        final Map<String, String> routes = new LinkedHashMap<>();
        for (final String line : Files.readAllLines(FILE)) {
            final AssistanceRequest request = AvroJson.parse(line, AssistanceRequest.class);
            final TreatyCoverage coverage = policy.counterpartOf(request).flatMap(table::coverage).orElse(null);
            routes.put(request.getRequestId(), policy.decide(request, coverage).getRoute().name());
        }
        return routes;
    }

    /** The ids of the sample requests the policy sends to review, in file order. */
    public static List<String> toReview() throws IOException {
        return expectedRoutes().entrySet().stream().filter(route -> route.getValue().equals(Route.NEEDS_REVIEW.name()))
                .map(Map.Entry::getKey).toList();
    }
}
