package org.mlarouter.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JacksonException;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Fields;
import org.mlarouter.json.Json;

/**
 * One HTTP call to a {@link WebServer} route: what was asked (method, path parameters, query, headers, cookies, body)
 * and the answer being made. JSON is bound here, at the edge, by the one {@link Json#MAPPER}.
 */
public final class WebCall {

    private final Request request;
    private final Response response;
    private final Map<String, String> pathParameters;
    private Fields query;
    private int status = 200;
    private String contentType = "text/plain; charset=utf-8";
    private byte[] body = new byte[0];

    WebCall(final Request request, final Response response, final Map<String, String> pathParameters) {
        this.request = request;
        this.response = response;
        this.pathParameters = pathParameters;
    }

    /** Keeps a value with the call, for its handler (e.g. the identity a guard established). */
    public void attribute(final String name, final Object value) {
        request.setAttribute(name, value);
    }

    /** A value kept with the call, if any. */
    public <T> Optional<T> attribute(final String name, final Class<T> type) {
        final Object value = request.getAttribute(name);
        return type.isInstance(value) ? Optional.of(type.cast(value)) : Optional.empty();
    }

    public String method() {
        return request.getMethod();
    }

    /** The address the call came from (the connection's peer, not a forwarded-for header). */
    public String remoteAddress() {
        return Request.getRemoteAddr(request);
    }

    /** The decoded path, e.g. {@code /requests/REQ 1}. */
    public String path() {
        return Request.getPathInContext(request);
    }

    /** A parameter of the route's template ({@code {id}}), decoded. */
    public String pathParameter(final String name) {
        final String value = pathParameters.get(name);
        if (value == null) {
            throw new IllegalArgumentException("the route has no parameter " + name);
        }
        return value;
    }

    /** A query parameter, if given. */
    public Optional<String> query(final String name) {
        if (query == null) {
            query = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
        }
        return Optional.ofNullable(query.getValue(name));
    }

    /** Whether a query parameter is given as {@code true}. */
    public boolean flag(final String name) {
        return query(name).map("true"::equals).orElse(false);
    }

    public Optional<String> header(final String name) {
        return Optional.ofNullable(request.getHeaders().get(name));
    }

    public Optional<String> cookie(final String name) {
        for (final HttpCookie cookie : Request.getCookies(request)) {
            if (cookie.getName().equals(name)) {
                return Optional.of(cookie.getValue());
            }
        }
        return Optional.empty();
    }

    /** The body, read whole (the server's body limit bounds it). */
    public byte[] body() throws IOException {
        final ByteBuffer buffer = Content.Source.asByteBuffer(request);
        final byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    /** The body as JSON bound to {@code type}; empty when there is none or it is not JSON of that shape. */
    public <T> Optional<T> bodyAs(final Class<T> type) throws IOException {
        final byte[] bytes = body();
        if (bytes.length == 0) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(Json.MAPPER.readValue(bytes, type));
        } catch (final JacksonException e) {
            return Optional.empty();
        }
    }

    public WebCall header(final String name, final String value) {
        response.getHeaders().put(name, value);
        return this;
    }

    public WebCall addHeader(final String name, final String value) {
        response.getHeaders().add(name, value);
        return this;
    }

    /** Answers text of this content type. */
    public void text(final int answerStatus, final String answerType, final String text) {
        this.status = answerStatus;
        this.contentType = answerType;
        this.body = text.getBytes(StandardCharsets.UTF_8);
    }

    /** Answers {@code value} as JSON, with a newline after it (as curl users expect). */
    public void json(final int answerStatus, final Object value) {
        text(answerStatus, "application/json", written(value) + "\n");
    }

    /** Answers {@code value} as JSON of this content type, as it is (the registry's answers, byte for byte Confluent's). */
    public void json(final int answerStatus, final String answerType, final Object value) {
        text(answerStatus, answerType, written(value));
    }

    private static String written(final Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (final JacksonException e) {
            throw new IllegalStateException("an answer could not be written as JSON", e);
        }
    }

    int status() {
        return status;
    }

    /** Writes the answer (no body to a HEAD) and completes the call. */
    void send(final org.eclipse.jetty.util.Callback callback) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, "HEAD".equals(request.getMethod()) ? ByteBuffer.allocate(0) : ByteBuffer.wrap(body), callback);
    }
}
