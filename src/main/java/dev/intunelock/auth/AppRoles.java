package dev.intunelock.auth;

import java.util.LinkedHashSet;
import java.util.Set;

import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * A caller's app roles: the values of the token's {@code roles} claim (what Entra ID issues for app roles) and
 * nothing else. MP-JWT would otherwise fall back on the {@code groups} claim, where a group whose name looks like
 * a role ("Pins.Read") would grant it.
 */
public final class AppRoles {

    static final String CLAIM = "roles";

    private AppRoles() {
    }

    public static Set<String> of(JsonWebToken token) {
        Object claim = token.getClaim(CLAIM);
        Set<String> roles = new LinkedHashSet<>();
        if (claim instanceof JsonArray array) {
            for (JsonValue value : array) {
                if (value instanceof JsonString role) {
                    roles.add(role.getString());
                }
            }
        } else if (claim instanceof JsonString role) {
            roles.add(role.getString());
        } else if (claim instanceof Iterable<?> values) {
            values.forEach(value -> roles.add(String.valueOf(value)));
        } else if (claim instanceof String role) {
            roles.add(role);
        }
        return Set.copyOf(roles);
    }
}
