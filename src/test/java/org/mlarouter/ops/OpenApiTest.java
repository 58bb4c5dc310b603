package org.mlarouter.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.mlarouter.avro.AssistanceRequest;
import org.mlarouter.json.Json;

/** The OpenAPI description the router serves is the API it has: the same /api routes, the request's own fields. */
class OpenApiTest {

    @Test
    void shouldDescribeEveryApiRouteAndNothingElseWithTheRequestsFields() throws Exception {
        try (OperatorServer server = OperatorServer.start("127.0.0.1", 0, new FixedView())) {
            final HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url() + "/api/openapi.json"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, answer.statusCode());
            final JsonNode description = Json.MAPPER.readTree(answer.body());

            final Set<String> described = new TreeSet<>();
            description.get("paths").fields().forEachRemaining(path -> path.getValue().fieldNames()
                    .forEachRemaining(method -> described.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey())));
            final Set<String> declared = new TreeSet<>();
            server.routes().stream().filter(route -> route.split(" ")[1].startsWith("/api/")).forEach(declared::add);
            assertEquals(declared, described, "the description's /api paths are the router's");

            final Set<String> fields = new TreeSet<>();
            description.at("/components/schemas/AssistanceRequest/properties").fieldNames().forEachRemaining(fields::add);
            final Set<String> avro = new TreeSet<>();
            AssistanceRequest.getClassSchema().getFields().stream().map(Schema.Field::name).forEach(avro::add);
            assertEquals(avro, fields, "the request's JSON form is the Avro schema's fields");
            assertEquals("3.0.3", description.get("openapi").asText());
            assertEquals(Optional.of("#/components/schemas/AssistanceRequest"), Optional.ofNullable(description
                    .at("/paths/~1api~1requests/post/requestBody/content/application~1json/schema/$ref").textValue()));
        }
    }
}
