package org.mlarouter.ops;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.ConfigurableJWTProcessor;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.JWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bearer tokens from the organisation's OpenID Connect issuer ({@code mla.http.oidc.issuer}), checked with Nimbus: the
 * signature against the issuer's published keys (found through its discovery document, on first use), the issuer, the
 * audience ({@code mla.http.oidc.client.id}) and the expiry. The identity is the staff id claim
 * ({@code mla.http.oidc.staff.id.claim}) with the roles of the roles claim ({@code mla.http.oidc.roles.claim}); roles
 * the router does not know are ignored. The console signs people in through the issuer with an authorization code and
 * PKCE ({@link #authorization}, {@link #signIn}); the ID token it gets is checked as a bearer token is, and must carry
 * the sign-in's nonce.
 */
public final class OidcTokens {

    private static final Logger LOG = LoggerFactory.getLogger(OidcTokens.class);
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.ES256, JWSAlgorithm.ES384);

    /** How long a browser has to come back from the issuer, and how many sign-ins may be under way at once. */
    private static final Duration SIGN_IN_WINDOW = Duration.ofMinutes(10);
    private static final int MAX_UNDER_WAY = 1000;

    /** A browser sign-in under way: what its return must match. */
    private record UnderWay(Nonce nonce, CodeVerifier verifier, URI redirect, Instant started) {
    }

    private final Issuer issuer;
    private final String audience;
    private final Optional<String> clientSecret;
    private final Map<String, UnderWay> underWay = new ConcurrentHashMap<>();
    private OIDCProviderMetadata metadata; // guarded by this
    private final String rolesClaim;
    private final String staffIdClaim;
    private ConfigurableJWTProcessor<SecurityContext> processor; // guarded by this

    public OidcTokens(final URI issuer, final String audience, final String rolesClaim, final String staffIdClaim) {
        this(issuer, audience, Optional.empty(), rolesClaim, staffIdClaim);
    }

    /** @param clientSecret the router's secret at the issuer, for the console's sign-in; without it a public client */
    public OidcTokens(final URI issuer, final String audience, final Optional<String> clientSecret, final String rolesClaim,
                      final String staffIdClaim) {
        this.issuer = new Issuer(issuer);
        this.audience = audience;
        this.clientSecret = clientSecret;
        this.rolesClaim = rolesClaim;
        this.staffIdClaim = staffIdClaim;
    }

    /** The identity of a valid token, or empty (the reason is logged, never the token). */
    public Optional<Identity> verify(final String token) {
        final JWTClaimsSet claims;
        try {
            claims = processor().process(token, null);
        } catch (final Exception e) {
            LOG.warn("Refused a bearer token: {}", e.getMessage());
            return Optional.empty();
        }
        final Object staffId = claims.getClaim(staffIdClaim);
        if (!(staffId instanceof String name) || name.isBlank()) {
            LOG.warn("Refused a bearer token without its staff id claim {}", staffIdClaim);
            return Optional.empty();
        }
        return Optional.of(new Identity(name, roles(claims.getClaim(rolesClaim))));
    }

    private static Set<Role> roles(final Object claim) {
        final Set<Role> roles = EnumSet.noneOf(Role.class);
        final List<?> labels = claim instanceof List<?> list ? list : claim instanceof String one ? List.of(one.split("[ ,]")) : List.of();
        for (final Object label : labels) {
            try {
                roles.add(Role.of(String.valueOf(label)));
            } catch (final IllegalArgumentException ignored) {
                // A role of the identity provider's that the router does not use.
            }
        }
        return roles;
    }

    /**
     * Where to send a browser to sign in: the issuer's authorization endpoint, for an authorization code with PKCE
     * (S256), a fresh state and nonce remembered for {@link #signIn}.
     *
     * @param redirect the console's callback, where the issuer sends the browser back
     */
    public URI authorization(final URI redirect) throws Exception {
        final Instant now = Instant.now();
        underWay.values().removeIf(entry -> entry.started().plus(SIGN_IN_WINDOW).isBefore(now));
        if (underWay.size() >= MAX_UNDER_WAY) {
            throw new IllegalStateException("Too many sign-ins under way; try again in a few minutes");
        }
        final State state = new State();
        final Nonce nonce = new Nonce();
        final CodeVerifier verifier = new CodeVerifier();
        underWay.put(state.getValue(), new UnderWay(nonce, verifier, redirect, now));
        return new AuthenticationRequest.Builder(new ResponseType(ResponseType.Value.CODE), new Scope("openid"), new ClientID(audience), redirect)
                .endpointURI(metadata().getAuthorizationEndpointURI()).state(state).nonce(nonce)
                .codeChallenge(verifier, CodeChallengeMethod.S256).build().toURI();
    }

    /**
     * The identity of a browser back from the issuer: the code exchanged (with the PKCE verifier) for an ID token, which
     * must be valid as a bearer token is (signature, issuer, audience, expiry) and carry the nonce of the sign-in.
     * Empty, with the reason logged (never a token), for an unknown or stale state, a refused code or a bad token.
     */
    public Optional<Identity> signIn(final String state, final String code) {
        final UnderWay started = state == null ? null : underWay.remove(state);
        if (started == null || started.started().plus(SIGN_IN_WINDOW).isBefore(Instant.now()) || code == null || code.isBlank()) {
            LOG.warn("Refused a sign-in through the issuer: unknown or stale state");
            return Optional.empty();
        }
        try {
            final AuthorizationGrant grant = new AuthorizationCodeGrant(new AuthorizationCode(code), started.redirect(), started.verifier());
            final URI endpoint = metadata().getTokenEndpointURI();
            final TokenRequest request = clientSecret.isPresent()
                    ? new TokenRequest(endpoint, new ClientSecretBasic(new ClientID(audience), new Secret(clientSecret.get())), grant)
                    : new TokenRequest(endpoint, new ClientID(audience), grant);
            final TokenResponse response = OIDCTokenResponseParser.parse(request.toHTTPRequest().send());
            if (!response.indicatesSuccess()) {
                LOG.warn("Refused a sign-in through the issuer: the issuer refused the code ({})",
                        response.toErrorResponse().getErrorObject().getCode());
                return Optional.empty();
            }
            final JWT idToken = ((OIDCTokenResponse) response.toSuccessResponse()).getOIDCTokens().getIDToken();
            if (!started.nonce().getValue().equals(idToken.getJWTClaimsSet().getStringClaim("nonce"))) {
                LOG.warn("Refused a sign-in through the issuer: the ID token does not carry the sign-in's nonce");
                return Optional.empty();
            }
            return verify(idToken.serialize());
        } catch (final Exception e) {
            LOG.warn("Refused a sign-in through the issuer: {}", e.getMessage());
            return Optional.empty();
        }
    }

    private synchronized OIDCProviderMetadata metadata() throws Exception {
        if (metadata == null) {
            metadata = OIDCProviderMetadata.resolve(issuer);
        }
        return metadata;
    }

    private synchronized ConfigurableJWTProcessor<SecurityContext> processor() throws Exception {
        if (processor == null) {
            final OIDCProviderMetadata metadata = metadata();
            final JWKSource<SecurityContext> keys = JWKSourceBuilder.<SecurityContext>create(metadata.getJWKSetURI().toURL()).retrying(true).build();
            final DefaultJWTProcessor<SecurityContext> made = new DefaultJWTProcessor<>();
            made.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
            made.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(audience, new JWTClaimsSet.Builder().issuer(issuer.getValue()).build(),
                    Set.of("exp", "sub")));
            processor = made;
        }
        return processor;
    }
}
