package org.mlarouter.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.mlarouter.clients.OperatorClient;
import picocli.CommandLine.Option;

/** The options of a command that asks a router's operator endpoint: where it is, and the credentials it may ask for. */
final class OperatorOptions {

    @Option(names = "--url", paramLabel = "URL", defaultValue = "http://127.0.0.1:8080", converter = OperatorOptions.Url.class,
            description = "The router's operator endpoint (default: ${DEFAULT-VALUE}).")
    URI url;

    @Option(names = "--user", paramLabel = "NAME", description = "Sign in as this local user (HTTP basic authentication). The password is"
            + " read from the environment variable MLA_PASSWORD, else the terminal, else standard input; never from an argument.")
    String user;

    @Option(names = "--token", paramLabel = "TOKEN", description = "A bearer token from the organisation's identity provider, when the"
            + " endpoint takes them (mla.http.oidc.issuer). Default: the environment variable MLA_TOKEN.")
    String token;

    /** An endpoint's address: http:// or https://, with a host; anything else named in words. */
    static final class Url implements picocli.CommandLine.ITypeConverter<URI> {
        @Override
        public URI convert(final String value) {
            URI url;
            try {
                url = new URI(value);
            } catch (final java.net.URISyntaxException e) {
                url = null;
            }
            if (url == null || url.getScheme() == null || !(url.getScheme().equalsIgnoreCase("http") || url.getScheme().equalsIgnoreCase("https"))
                    || url.getHost() == null) {
                throw new picocli.CommandLine.TypeConversionException(value + " is not an http:// or https:// address with a host,"
                        + " such as http://127.0.0.1:8080");
            }
            return url;
        }
    }

    /** A client of the endpoint, signed in as the options say; {@code environment} may hold MLA_PASSWORD. */
    OperatorClient client(final Map<String, String> environment) {
        final picocli.CommandLine here = new picocli.CommandLine(this);
        if (token != null && user != null) {
            throw new picocli.CommandLine.ParameterException(here, "--token and --user exclude each other: give one");
        }
        if (token != null) {
            return OperatorClient.withToken(url, token);
        }
        if (user == null) {
            // The session mla-router login kept for this endpoint, if any and not ended.
            return new SavedSessions(environment, java.time.Clock.systemUTC()).find(url)
                    .map(saved -> OperatorClient.withAuthorization(url, saved.authorization()))
                    .orElseGet(() -> new OperatorClient(url, null));
        }
        if (user.isBlank() || user.contains(":")) {
            throw new picocli.CommandLine.ParameterException(here, "--user takes a name only: the password comes from MLA_PASSWORD,"
                    + " the terminal or standard input, never from the command line");
        }
        return new OperatorClient(url, user + ":" + password(environment, here));
    }

    private String password(final Map<String, String> environment, final picocli.CommandLine here) {
        final String given = environment.get("MLA_PASSWORD");
        if (given != null && !given.isEmpty()) {
            return given;
        }
        final Console console = System.console();
        if (console != null) {
            final char[] typed = console.readPassword("Password for %s: ", user);
            if (typed != null && typed.length > 0) {
                return new String(typed);
            }
        } else {
            try {
                final String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                if (line != null && !line.isEmpty()) {
                    return line;
                }
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new picocli.CommandLine.ParameterException(here, "--user " + user + ": no password (set MLA_PASSWORD, or type it when asked)");
    }
}
