package org.mlarouter.config;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * The keys of the operator HTTP endpoint ({@code mla.http.*}): where it listens, who may use it (local users, the
 * organisation's OpenID Connect issuer, the service user instances forward queries as, the peers they forward to) and
 * TLS. Part of {@link RouterConfig}, which defines them through {@link #define} and checks them together through
 * {@link #check}; its getters read them.
 */
public final class HttpKeys {

    public static final String HTTP_HOST_CONFIG = "mla.http.host";
    private static final String HTTP_HOST_DOC = "Address of the operator HTTP endpoint (/metrics, /health/live, /health/ready,"
            + " /topology). Loopback by default: expose it deliberately.";

    public static final String HTTP_PORT_CONFIG = "mla.http.port";
    private static final String HTTP_PORT_DOC = "Port of the operator HTTP endpoint; 0 picks a free one, -1 turns it off.";

    public static final String HTTP_METRICS_PORT_CONFIG = "mla.http.metrics.port";
    private static final String HTTP_METRICS_PORT_DOC = "A second port, on 127.0.0.1 only, that serves /metrics without sign-in,"
            + " for a Prometheus on the same machine when the operator endpoint asks for users; -1 (the default) turns it off.";

    public static final String HTTP_OIDC_ISSUER_CONFIG = "mla.http.oidc.issuer";
    private static final String HTTP_OIDC_ISSUER_DOC = "The organisation's OpenID Connect issuer (its URL): when set, the API takes its"
            + " bearer tokens, and every path but the health checks needs an identity, as with users.";
    public static final String HTTP_OIDC_CLIENT_ID_CONFIG = "mla.http.oidc.client.id";
    private static final String HTTP_OIDC_CLIENT_ID_DOC = "The router's client id at the issuer: a token must name it in its audience.";
    public static final String HTTP_OIDC_CLIENT_SECRET_CONFIG = "mla.http.oidc.client.secret";
    private static final String HTTP_OIDC_CLIENT_SECRET_DOC = "The router's client secret at the issuer (for the console's sign-in).";
    public static final String HTTP_OIDC_ROLES_CLAIM_CONFIG = "mla.http.oidc.roles.claim";
    private static final String HTTP_OIDC_ROLES_CLAIM_DOC = "The token claim that lists a person's roles (viewer, reviewer, supervisor, agency,"
            + " operator; others are ignored).";
    public static final String HTTP_OIDC_STAFF_ID_CLAIM_CONFIG = "mla.http.oidc.staff.id.claim";
    private static final String HTTP_OIDC_STAFF_ID_CLAIM_DOC = "The token claim that is a person's staff id, recorded on what they do.";

    public static final String HTTP_USERS_CONFIG = "mla.http.users";
    private static final String HTTP_USERS_DOC = "Version 2's plain-text user:password pairs: no longer read. A router given it refuses"
            + " to start, saying to use mla.http.users.file instead.";

    public static final String HTTP_USERS_FILE_CONFIG = "mla.http.users.file";
    private static final String HTTP_USERS_FILE_DOC = "The operator endpoint's local users, one per line, name:HASH:role[,role...][:authority],"
            + " HASH an argon2id or bcrypt PHC string, written by 'mla-router users add'. When set, /requests/* and /reviews"
            + " (every path, with mla.http.auth.all-paths) need one of them: HTTP basic credentials, or the console's sign-in.";

    public static final String HTTP_PEER_USER_CONFIG = "mla.http.peer.user";
    private static final String HTTP_PEER_USER_DOC = "The service user (in mla.http.users.file, with the reviewer role) this instance is"
            + " when it forwards a query to another instance (mla.http.peers); its password is in mla.http.peer.password.file."
            + " Without it, a query held by another instance of a router with users is refused there.";

    public static final String HTTP_PEER_PASSWORD_FILE_CONFIG = "mla.http.peer.password.file";
    private static final String HTTP_PEER_PASSWORD_FILE_DOC = "A file holding mla.http.peer.user's password (one line), readable by"
            + " the router only.";

    public static final String HTTP_AUTH_ALL_PATHS_CONFIG = "mla.http.auth.all-paths";
    private static final String HTTP_AUTH_ALL_PATHS_DOC = "No longer needed, accepted and ignored: with users (mla.http.users.file),"
            + " every path of the operator endpoint but /health/live and /health/ready needs one of them, with a role that may use it.";

    public static final String HTTP_TLS_KEYSTORE_CONFIG = "mla.http.tls.keystore.location";
    private static final String HTTP_TLS_KEYSTORE_DOC = "A PKCS12 key store with the operator endpoint's certificate and key: when set,"
            + " the endpoint serves HTTPS only (instances also trust it when they ask one another).";

    public static final String HTTP_TLS_KEYSTORE_PASSWORD_CONFIG = "mla.http.tls.keystore.password";
    private static final String HTTP_TLS_KEYSTORE_PASSWORD_DOC = "The password of mla.http.tls.keystore.location.";

    public static final String HTTP_INSECURE_CONFIG = "mla.http.insecure";
    private static final String HTTP_INSECURE_DOC = "Allows users (mla.http.users) on an mla.http.host that is not loopback"
            + " without TLS (mla.http.tls.keystore.location): their passwords and session cookies would then cross the network"
            + " in clear. Without it such a router refuses to start; with it, it starts and says so in its log.";

    public static final String HTTP_PEERS_CONFIG = "mla.http.peers";
    private static final String HTTP_PEERS_DOC = "Hosts, comma-separated and as other instances advertise them in application.server,"
            + " that this instance may send a forwarded query (with its credentials) for a request it does not hold. Loopback"
            + " (localhost, 127.x.x.x, ::1) is always allowed; any other host only when listed here. A query held by an"
            + " instance on another host is answered 503, naming this key.";

    private HttpKeys() {
    }

    static void define(final ConfigDef config) {
        config.define(HTTP_HOST_CONFIG, Type.STRING, "127.0.0.1", new ConfigDef.NonEmptyString(), Importance.MEDIUM, HTTP_HOST_DOC);
        config.define(HTTP_PORT_CONFIG, Type.INT, 8080, ConfigDef.Range.between(-1, 65535), Importance.MEDIUM, HTTP_PORT_DOC);
        config.define(HTTP_USERS_CONFIG, Type.PASSWORD, null, Importance.MEDIUM, HTTP_USERS_DOC);
        config.define(HTTP_AUTH_ALL_PATHS_CONFIG, Type.BOOLEAN, false, Importance.LOW, HTTP_AUTH_ALL_PATHS_DOC);
        config.define(HTTP_TLS_KEYSTORE_CONFIG, Type.STRING, null, Importance.MEDIUM, HTTP_TLS_KEYSTORE_DOC);
        config.define(HTTP_TLS_KEYSTORE_PASSWORD_CONFIG, Type.PASSWORD, null, Importance.MEDIUM, HTTP_TLS_KEYSTORE_PASSWORD_DOC);
        config.define(HTTP_INSECURE_CONFIG, Type.BOOLEAN, false, Importance.LOW, HTTP_INSECURE_DOC);
        config.define(HTTP_USERS_FILE_CONFIG, Type.STRING, null, Importance.HIGH, HTTP_USERS_FILE_DOC);
        config.define(HTTP_OIDC_ISSUER_CONFIG, Type.STRING, null, Importance.HIGH, HTTP_OIDC_ISSUER_DOC);
        config.define(HTTP_OIDC_CLIENT_ID_CONFIG, Type.STRING, null, Importance.HIGH, HTTP_OIDC_CLIENT_ID_DOC);
        config.define(HTTP_OIDC_CLIENT_SECRET_CONFIG, Type.PASSWORD, null, Importance.MEDIUM, HTTP_OIDC_CLIENT_SECRET_DOC);
        config.define(HTTP_OIDC_ROLES_CLAIM_CONFIG, Type.STRING, "roles", Importance.LOW, HTTP_OIDC_ROLES_CLAIM_DOC);
        config.define(HTTP_OIDC_STAFF_ID_CLAIM_CONFIG, Type.STRING, "preferred_username", Importance.LOW, HTTP_OIDC_STAFF_ID_CLAIM_DOC);
        config.define(HTTP_METRICS_PORT_CONFIG, Type.INT, -1, ConfigDef.Range.between(-1, 65535), Importance.LOW, HTTP_METRICS_PORT_DOC);
        config.define(HTTP_PEER_USER_CONFIG, Type.STRING, null, Importance.LOW, HTTP_PEER_USER_DOC);
        config.define(HTTP_PEER_PASSWORD_FILE_CONFIG, Type.STRING, null, Importance.LOW, HTTP_PEER_PASSWORD_FILE_DOC);
        config.define(HTTP_PEERS_CONFIG, Type.LIST, "", Importance.MEDIUM, HTTP_PEERS_DOC);
    }

    /** The checks that take several keys together; {@link ConfigException} naming the key at fault. */
    static void check(final RouterConfig config) {
        if (config.getPassword(HTTP_USERS_CONFIG) != null) {
            throw new ConfigException(HTTP_USERS_CONFIG + " (plain-text passwords) is no longer read: put the users in a file with"
                    + " 'mla-router users add NAME --role ROLE --file FILE' and set " + HTTP_USERS_FILE_CONFIG + "=FILE");
        }
        if ((config.getString(HTTP_OIDC_ISSUER_CONFIG) == null) != (config.getString(HTTP_OIDC_CLIENT_ID_CONFIG) == null)) {
            throw new ConfigException(HTTP_OIDC_ISSUER_CONFIG + " and " + HTTP_OIDC_CLIENT_ID_CONFIG + " go together: set both or neither");
        }
        if (config.getString(HTTP_OIDC_ISSUER_CONFIG) != null) {
            try {
                final java.net.URI issuer = java.net.URI.create(config.getString(HTTP_OIDC_ISSUER_CONFIG));
                if (!"https".equals(issuer.getScheme()) && !("http".equals(issuer.getScheme()) && isLoopback(String.valueOf(issuer.getHost())))) {
                    throw new IllegalArgumentException("an issuer is reached over https (http only on loopback)");
                }
            } catch (final IllegalArgumentException e) {
                throw new ConfigException(HTTP_OIDC_ISSUER_CONFIG, config.getString(HTTP_OIDC_ISSUER_CONFIG), e.getMessage());
            }
        }
        if ((config.getString(HTTP_PEER_USER_CONFIG) == null) != (config.getString(HTTP_PEER_PASSWORD_FILE_CONFIG) == null)) {
            throw new ConfigException(HTTP_PEER_USER_CONFIG + " and " + HTTP_PEER_PASSWORD_FILE_CONFIG + " go together: set both or neither");
        }
        if ((config.httpUsersFile() != null || config.getString(HTTP_OIDC_ISSUER_CONFIG) != null) && config.httpTlsKeyStore() == null && !isLoopback(config.httpHost()) && !config.httpInsecure()) {
            throw new ConfigException(HTTP_HOST_CONFIG, config.httpHost(), "users (" + HTTP_USERS_FILE_CONFIG + ") on an address beyond this machine"
                    + " need TLS: set " + HTTP_TLS_KEYSTORE_CONFIG + ", bind to loopback, or accept passwords in clear with "
                    + HTTP_INSECURE_CONFIG + "=true");
        }
    }

    /** Whether a host name or address is this machine's loopback: {@code localhost}, {@code 127.x.x.x} or {@code ::1}. */
    public static boolean isLoopback(final String host) {
        final String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return "localhost".equalsIgnoreCase(bare) || bare.startsWith("127.") || "::1".equals(bare) || "0:0:0:0:0:0:0:1".equals(bare);
    }

    /** The organisation's OpenID Connect issuer, the router's client id and secret there, and the claims it reads. */
    public record Oidc(java.net.URI issuer, String clientId, java.util.Optional<String> clientSecret, String rolesClaim, String staffIdClaim) {
    }

    /** The issuer's settings, when an issuer is configured. */
    static java.util.Optional<Oidc> oidc(final org.apache.kafka.common.config.AbstractConfig config) {
        return java.util.Optional.ofNullable(config.getString(HTTP_OIDC_ISSUER_CONFIG)).map(issuer -> new Oidc(java.net.URI.create(issuer),
                config.getString(HTTP_OIDC_CLIENT_ID_CONFIG), java.util.Optional.ofNullable(config.getPassword(HTTP_OIDC_CLIENT_SECRET_CONFIG))
                        .map(org.apache.kafka.common.config.types.Password::value), config.getString(HTTP_OIDC_ROLES_CLAIM_CONFIG),
                config.getString(HTTP_OIDC_STAFF_ID_CLAIM_CONFIG)));
    }
}
