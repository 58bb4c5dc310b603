package org.mlarouter.cli;

import java.net.URI;

import org.mlarouter.clients.OperatorClient;
import picocli.CommandLine.Option;

/** The options of a command that asks a router's operator endpoint: where it is, and the credentials it may ask for. */
final class OperatorOptions {

    @Option(names = "--url", paramLabel = "URL", defaultValue = "http://127.0.0.1:8080",
            description = "The router's operator endpoint (default: ${DEFAULT-VALUE}).")
    URI url;

    @Option(names = "--user", paramLabel = "USER:PASSWORD", description = "Credentials, when the endpoint asks for HTTP basic authentication.")
    String user;

    @Option(names = "--token", paramLabel = "TOKEN", description = "A bearer token from the organisation's identity provider, when the"
            + " endpoint takes them (mla.http.oidc.issuer). Default: the environment variable MLA_TOKEN.")
    String token;

    OperatorClient client() {
        if (token != null && user != null) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--token and --user exclude each other: give one");
        }
        return token != null ? OperatorClient.withToken(url, token) : new OperatorClient(url, user);
    }
}
