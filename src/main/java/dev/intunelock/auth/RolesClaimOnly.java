package dev.intunelock.auth;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Every verified caller's roles, for {@code @RolesAllowed} too, are its {@link AppRoles} and nothing else; the
 * {@link Caller} the token names goes with the identity ({@link #CALLER}), read from the token once.
 */
@ApplicationScoped
public class RolesClaimOnly implements SecurityIdentityAugmentor {

    static final String CALLER = Caller.class.getName();

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)) {
            return Uni.createFrom().item(identity);
        }
        Caller caller = Caller.named(token);
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                .setPrincipal(token)
                .addCredentials(identity.getCredentials())
                .addAttributes(identity.getAttributes())
                .addAttribute(CALLER, caller)
                .addRoles(caller.roles())
                .build());
    }
}
