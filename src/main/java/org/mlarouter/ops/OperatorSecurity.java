package org.mlarouter.ops;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * How the operator endpoint is protected, when asked: TLS from a PKCS12 key store, and HTTP basic authentication for
 * the paths that show requests ({@code /requests/*}, {@code /reviews}) or for every path. Without either, it serves
 * plain HTTP to anyone who can reach it (it binds to loopback by default).
 */
public record OperatorSecurity(Map<String, String> passwordByUser, boolean everyPath, Optional<SSLContext> tls) {

    /** No TLS, no authentication. */
    public static final OperatorSecurity NONE = new OperatorSecurity(Map.of(), false, Optional.empty());

    public OperatorSecurity {
        passwordByUser = Map.copyOf(passwordByUser);
    }

    /** The protection {@code config} asks for: its {@code mla.http.users}, {@code mla.http.auth.all-paths} and TLS key store. */
    public static OperatorSecurity of(final org.mlarouter.config.RouterConfig config) {
        if (config.httpUsers() != null && !config.httpUsers().isBlank() && config.httpTlsKeyStore() == null
                && !org.mlarouter.config.RouterConfig.isLoopback(config.httpHost())) {
            org.slf4j.LoggerFactory.getLogger(OperatorSecurity.class).warn("Users sign in over plain HTTP on {}: their passwords and session"
                    + " cookies cross the network in clear ({}=true)", config.httpHost(), org.mlarouter.config.RouterConfig.HTTP_INSECURE_CONFIG);
        }
        return of(config.httpUsers(), config.httpAuthAllPaths(), config.httpTlsKeyStore(), config.httpTlsKeyStorePassword());
    }

    /**
     * @param users      {@code user:password} pairs, comma-separated, or null for no authentication
     * @param keyStore   a PKCS12 key store with the endpoint's certificate and key, or null for plain HTTP
     */
    public static OperatorSecurity of(final String users, final boolean everyPath, final Path keyStore, final String keyStorePassword) {
        final Map<String, String> passwords = new HashMap<>();
        if (users != null && !users.isBlank()) {
            for (final String pair : users.split(",")) {
                final int colon = pair.indexOf(':');
                if (colon <= 0 || colon == pair.length() - 1) {
                    throw new IllegalArgumentException("each user must be given as user:password");
                }
                passwords.put(pair.substring(0, colon).trim(), pair.substring(colon + 1));
            }
        }
        return new OperatorSecurity(passwords, everyPath, keyStore == null ? Optional.empty() : Optional.of(sslContext(keyStore, keyStorePassword)));
    }

    /** Whether requests to this path must authenticate. */
    public boolean protects(final String path) {
        return !passwordByUser.isEmpty() && (everyPath || path.startsWith("/requests/") || path.startsWith("/reviews"));
    }

    /** Whether {@code password} is {@code user}'s (compared in constant time). */
    boolean accepts(final String user, final String password) {
        final String expected = user == null ? null : passwordByUser.get(user);
        return expected != null && password != null
                && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), password.getBytes(StandardCharsets.UTF_8));
    }

    /** A TLS context serving the key store's certificate and trusting it (so instances can ask one another). */
    static SSLContext sslContext(final Path keyStore, final String password) {
        try (InputStream in = Files.newInputStream(keyStore)) {
            final KeyStore store = KeyStore.getInstance("PKCS12");
            final char[] secret = password == null ? new char[0] : password.toCharArray();
            store.load(in, secret);
            final KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, secret);
            final TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            final SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context;
        } catch (final IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("the key store " + keyStore + " cannot be used for TLS: " + e.getMessage(), e);
        }
    }
}
