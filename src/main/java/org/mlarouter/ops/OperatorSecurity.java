package org.mlarouter.ops;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import java.util.Optional;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.apache.kafka.common.config.ConfigException;
import org.mlarouter.config.HttpKeys;
import org.mlarouter.config.RouterConfig;
import org.slf4j.LoggerFactory;

/**
 * How the operator endpoint is protected, when asked: TLS from a PKCS12 key store; local users ({@link LocalUsers},
 * {@code mla.http.users.file}), one of whom every path but the health checks then needs, with a role that may use it;
 * and the service credential this instance forwards queries to other instances with. Without users or TLS, it
 * serves plain HTTP to anyone who can reach it (it binds to loopback by default).
 *
 * @param peerAuthorization the {@code Authorization} header of forwarded queries ({@code mla.http.peer.user}), if any
 */
public record OperatorSecurity(LocalUsers users, Optional<SSLContext> tls, Optional<String> peerAuthorization, Optional<OidcTokens> oidc) {

    /** No TLS, no authentication. */
    public static final OperatorSecurity NONE = new OperatorSecurity(LocalUsers.NONE, Optional.empty(), Optional.empty(), Optional.empty());

    /** The protection {@code config} asks for: its users file, TLS key store and service user. */
    public static OperatorSecurity of(final RouterConfig config) {
        final LocalUsers users;
        try {
            users = config.httpUsersFile() == null ? LocalUsers.NONE : LocalUsers.read(config.httpUsersFile());
        } catch (final IllegalArgumentException e) {
            throw new ConfigException(HttpKeys.HTTP_USERS_FILE_CONFIG, config.httpUsersFile().toString(), e.getMessage());
        }
        if (!users.isEmpty() && config.httpTlsKeyStore() == null && !HttpKeys.isLoopback(config.httpHost())) {
            LoggerFactory.getLogger(OperatorSecurity.class).warn("Users sign in over plain HTTP on {}: their passwords and session"
                    + " cookies cross the network in clear ({}=true)", config.httpHost(), HttpKeys.HTTP_INSECURE_CONFIG);
        }
        Optional<String> peer = Optional.empty();
        if (config.httpPeerUser() != null) {
            try {
                final String password = Files.readString(config.httpPeerPasswordFile(), StandardCharsets.UTF_8).strip();
                peer = Optional.of("Basic " + Base64.getEncoder().encodeToString((config.httpPeerUser() + ":" + password)
                        .getBytes(StandardCharsets.UTF_8)));
            } catch (final IOException e) {
                throw new ConfigException(HttpKeys.HTTP_PEER_PASSWORD_FILE_CONFIG, config.httpPeerPasswordFile().toString(),
                        "cannot be read: " + e.getMessage());
            }
        }
        final OperatorSecurity security = of(users, config.httpTlsKeyStore(), config.httpTlsKeyStorePassword());
        final Optional<OidcTokens> oidc = config.httpOidc().map(issuer -> new OidcTokens(issuer.issuer(), issuer.clientId(),
                issuer.clientSecret(), issuer.rolesClaim(), issuer.staffIdClaim()));
        return new OperatorSecurity(security.users, security.tls, peer, oidc);
    }

    /**
     * @param keyStore a PKCS12 key store with the endpoint's certificate and key, or null for plain HTTP
     */
    public static OperatorSecurity of(final LocalUsers users, final Path keyStore, final String keyStorePassword) {
        return new OperatorSecurity(users, keyStore == null ? Optional.empty() : Optional.of(sslContext(keyStore, keyStorePassword)),
                Optional.empty(), Optional.empty());
    }

    /** The same protection, also taking an issuer's bearer tokens. */
    public OperatorSecurity withTokens(final OidcTokens tokens) {
        return new OperatorSecurity(users, tls, peerAuthorization, Optional.of(tokens));
    }

    /** Whether anyone may be asked to sign in: there are users, or an issuer. */
    public boolean signsIn() {
        return !users.isEmpty() || oidc.isPresent();
    }

    /** Whether a call to this path needs an identity: every path but the health checks, once there are users. */
    public boolean protects(final String path) {
        return signsIn() && !path.equals("/health/live") && !path.equals("/health/ready");
    }

    /** The identity of a call's bearer token, if it has a valid one; empty without an issuer or a bearer token. */
    Optional<Identity> bearer(final Optional<String> authorization) {
        if (oidc.isEmpty() || authorization.isEmpty() || !authorization.get().regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        return oidc.get().verify(authorization.get().substring(7).trim());
    }

    /** Whether a call offers a bearer token. */
    static boolean hasBearer(final Optional<String> authorization) {
        return authorization.isPresent() && authorization.get().regionMatches(true, 0, "Bearer ", 0, 7);
    }

    /** The identity of a name and password, if they are a user's. */
    Optional<Identity> authenticate(final String user, final String password) {
        return users.authenticate(user, password).map(LocalUsers.User::identity);
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
