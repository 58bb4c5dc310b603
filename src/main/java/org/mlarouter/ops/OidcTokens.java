package org.mlarouter.ops;

import java.net.URI;
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
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bearer tokens from the organisation's OpenID Connect issuer ({@code mla.http.oidc.issuer}), checked with Nimbus: the
 * signature against the issuer's published keys (found through its discovery document, on first use), the issuer, the
 * audience ({@code mla.http.oidc.client.id}) and the expiry. The identity is the staff id claim
 * ({@code mla.http.oidc.staff.id.claim}) with the roles of the roles claim ({@code mla.http.oidc.roles.claim}); roles
 * the router does not know are ignored.
 */
public final class OidcTokens {

    private static final Logger LOG = LoggerFactory.getLogger(OidcTokens.class);
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.ES256, JWSAlgorithm.ES384);

    private final Issuer issuer;
    private final String audience;
    private final String rolesClaim;
    private final String staffIdClaim;
    private ConfigurableJWTProcessor<SecurityContext> processor; // guarded by this

    public OidcTokens(final URI issuer, final String audience, final String rolesClaim, final String staffIdClaim) {
        this.issuer = new Issuer(issuer);
        this.audience = audience;
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

    private synchronized ConfigurableJWTProcessor<SecurityContext> processor() throws Exception {
        if (processor == null) {
            final OIDCProviderMetadata metadata = OIDCProviderMetadata.resolve(issuer);
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
