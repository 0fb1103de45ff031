package dev.intunelock.auth;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.SecurityIdentity;

/** The caller of the current request, from its verified bearer token ({@link RolesClaimOnly} read it). */
@RequestScoped
public class Callers {

    @Inject
    SecurityIdentity identity;

    public Caller current() {
        Caller caller = identity.getAttribute(RolesClaimOnly.CALLER);
        if (caller == null || caller.name() == null) {
            throw new AuthenticationFailedException("The token names no principal (upn, preferred_username or sub)");
        }
        return caller;
    }
}
