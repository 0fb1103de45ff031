package dev.intunelock.auth;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.AuthenticationFailedException;

/** The caller of the current request, from its verified bearer token. */
@RequestScoped
public class Callers {

    @Inject
    JsonWebToken token;

    public Caller current() {
        return new Caller(firstPresent(claim("upn"), claim("preferred_username"), token.getSubject()), claim("oid"),
                AppRoles.of(token));
    }

    private String claim(String name) {
        Object value = token.getClaim(name);
        if (value instanceof jakarta.json.JsonString json) {
            return json.getString();
        }
        return value == null ? null : value.toString();
    }

    private static String firstPresent(String... candidates) {
        for (String candidate : candidates) {
            if (candidate != null && !candidate.isBlank()) {
                return candidate;
            }
        }
        throw new AuthenticationFailedException("The token names no principal (upn, preferred_username or sub)");
    }
}
