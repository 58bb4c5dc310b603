package org.mlarouter.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The route table and the limits of {@link WebServer}. */
class WebServerTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private WebServer server;

    @BeforeEach
    void start() {
        server = WebServer.builder("web-test", "Test server").maxBody(1024)
                .get("/things/{name}", call -> call.json(200, org.mlarouter.json.Json.object().put("name", call.pathParameter("name"))
                        .put("local", call.flag("local"))))
                .post("/things/{name}", call -> call.text(200, "text/plain", call.body().length + " bytes"))
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> send(final HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI at(final String path) {
        return URI.create(server.url() + path);
    }

    @Test
    void shouldBindDecodedPathParametersAndQueryFlags() throws Exception {
        final HttpResponse<String> answer = send(HttpRequest.newBuilder(at("/things/a%2Fb%20c?local=true")));
        assertEquals(200, answer.statusCode());
        assertEquals("{\"name\":\"a/b c\",\"local\":true}\n", answer.body());
        assertEquals("application/json", answer.headers().firstValue("Content-Type").orElse(""));
    }

    @Test
    void shouldAnswerHeadWithoutABody() throws Exception {
        final HttpResponse<String> answer = send(HttpRequest.newBuilder(at("/things/x")).method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, answer.statusCode());
        assertEquals("", answer.body());
    }

    @Test
    void shouldRefuseAnotherMethodWithAllowAndAnUnknownPathWith404() throws Exception {
        final HttpResponse<String> wrong = send(HttpRequest.newBuilder(at("/things/x")).DELETE());
        assertEquals(405, wrong.statusCode());
        assertEquals("GET, POST", wrong.headers().firstValue("Allow").orElse(""));
        final HttpResponse<String> missing = send(HttpRequest.newBuilder(at("/nothing/here")));
        assertEquals(404, missing.statusCode());
        assertTrue(missing.body().contains("\"error_code\":404"), missing.body());
    }

    @Test
    void shouldRefuseABodyAboveTheLimit() throws Exception {
        final HttpResponse<String> small = send(HttpRequest.newBuilder(at("/things/x")).POST(HttpRequest.BodyPublishers.ofString("x".repeat(1024))));
        assertEquals(200, small.statusCode());
        assertEquals("1024 bytes", small.body());
        final HttpResponse<String> large = send(HttpRequest.newBuilder(at("/things/x")).POST(HttpRequest.BodyPublishers.ofString("x".repeat(1025))));
        assertEquals(413, large.statusCode(), large.body());
    }
}
