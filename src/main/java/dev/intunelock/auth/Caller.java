package dev.intunelock.auth;

import java.util.Set;

/** Who asked: the token's principal (upn, else preferred_username, else sub) and its app roles. */
public record Caller(String name, Set<String> roles) {

    public Caller {
        roles = Set.copyOf(roles);
    }

    public boolean has(String role) {
        return roles.contains(role);
    }
}
