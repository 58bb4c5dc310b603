package org.mlarouter.net;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.URIUtil;

/**
 * The routes a {@link WebServer} was built with, as its Jetty handler: finds the declared route of a call by method and
 * path template, runs the guard and the route, and answers 405 (with {@code Allow}) for a known path asked with another
 * method, the not-found route for an unknown one, and the failure answer for a call that throws.
 */
final class RouteTable extends Handler.Abstract {

    /** One declared route: its method, its template's segments ({@code {name}} for a parameter) and what it does. */
    record Declared(String method, List<String> template, WebServer.Route route) {
    }

    private final List<Declared> routes;
    private final WebServer.Guard guard;
    private final WebServer.Route notFound;
    private final WebServer.Failure failure;

    RouteTable(final List<Declared> routes, final WebServer.Guard guard, final WebServer.Route notFound,
               final WebServer.Failure failure) {
        this.routes = routes;
        this.guard = guard;
        this.notFound = notFound;
        this.failure = failure;
    }

    @Override
    public boolean handle(final Request request, final Response response, final Callback callback) {
        final List<String> path = segments(request.getHttpURI().getPath() == null ? "" : request.getHttpURI().getPath());
        final String method = "HEAD".equals(request.getMethod()) ? "GET" : request.getMethod();
        WebServer.Route chosen = null;
        Map<String, String> parameters = Map.of();
        final Set<String> allowed = new LinkedHashSet<>();
        for (final Declared declared : routes) {
            final Map<String, String> matched = match(declared.template(), path);
            if (matched != null) {
                allowed.add(declared.method());
                if (chosen == null && declared.method().equals(method)) {
                    chosen = declared.route();
                    parameters = matched;
                }
            }
        }
        final WebCall call = new WebCall(request, response, parameters);
        try {
            if (guard.admit(call)) {
                if (chosen != null) {
                    chosen.handle(call);
                } else if (!allowed.isEmpty()) {
                    call.header("Allow", String.join(", ", allowed));
                    failure.answer(call, 405, new IllegalArgumentException("Method " + request.getMethod() + " is not allowed here"));
                } else {
                    notFound.handle(call);
                }
            }
        } catch (final com.fasterxml.jackson.core.JacksonException e) {
            failure.answer(call, 400, new IllegalArgumentException("The body is not valid JSON"));
        } catch (final Exception e) {
            if (e instanceof HttpException http) {
                failure.answer(call, http.getCode(), e);
            } else if (e.getCause() instanceof HttpException http) {
                failure.answer(call, http.getCode(), e);
            } else {
                failure.answer(call, 500, e);
            }
        }
        call.send(callback);
        return true;
    }

    /** The template's parameters in {@code path}, decoded; null when it does not match. */
    private static Map<String, String> match(final List<String> template, final List<String> path) {
        if (template.size() != path.size()) {
            return null;
        }
        final Map<String, String> parameters = new HashMap<>();
        for (int i = 0; i < template.size(); i++) {
            final String part = template.get(i);
            final String given = URIUtil.decodePath(path.get(i));
            if (part.startsWith("{") && part.endsWith("}")) {
                parameters.put(part.substring(1, part.length() - 1), given);
            } else if (!part.equals(given)) {
                return null;
            }
        }
        return parameters;
    }

    /** A path's non-empty segments, as given. */
    static List<String> segments(final String path) {
        return Arrays.stream(path.split("/")).filter(segment -> !segment.isEmpty()).toList();
    }
}
