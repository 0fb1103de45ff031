package dev.intunelock.auth;

import java.util.Set;

import org.eclipse.microprofile.jwt.JsonWebToken;

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

    /** The caller a verified token names; its name is null when the token has none of upn, preferred_username, sub. */
    static Caller named(JsonWebToken token) {
        return new Caller(firstPresent(claim(token, "upn"), claim(token, "preferred_username"), token.getSubject()),
                claim(token, "oid"), AppRoles.of(token));
    }

    private static String claim(JsonWebToken token, String name) {
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
        return null;
    }
}
