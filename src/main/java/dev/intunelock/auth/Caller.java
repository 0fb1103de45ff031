package dev.intunelock.auth;

import java.util.Set;

/**
 * Who asked: a name for display (upn, else preferred_username, else sub), the Entra object id ({@code oid}: the
 * identity that cannot be renamed; null for senders that are not Entra users, such as webhooks) and the app roles.
 */
public record Caller(String name, String objectId, Set<String> roles) {

    public Caller {
        roles = Set.copyOf(roles);
    }

    public boolean has(String role) {
        return roles.contains(role);
    }
}
