package dev.intunelock.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

/** Bearer tokens shaped like Entra ID access tokens, signed by the test key the function trusts. */
public final class Tokens {

    private Tokens() {
    }

    public static String withRoles(String upn, String... roles) {
        return claims(upn, roles).sign(LocalStack.signingKeys().getPrivate());
    }

    public static String expired(String upn, String... roles) {
        return claims(upn, roles).issuedAt(Instant.now().minusSeconds(7200)).expiresAt(Instant.now().minusSeconds(3600))
                .sign(LocalStack.signingKeys().getPrivate());
    }

    public static String fromOtherIssuer(String upn, String... roles) {
        return claims(upn, roles).issuer("https://evil.example/").sign(LocalStack.signingKeys().getPrivate());
    }

    /** Signed by a key the function does not trust. */
    public static String forged(String upn, String... roles) {
        try {
            var generator = java.security.KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return claims(upn, roles).sign(generator.generateKeyPair().getPrivate());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The Entra object id ({@code oid}) a user has in the tests: the sandbox directory's id for its users (whose
     * tokens the sandbox signs), else one derived from the name, the same for every spelling of it.
     */
    public static String objectIdOf(String upn) {
        String known = SANDBOX_USERS.get(upn.toLowerCase(Locale.ROOT));
        return known != null ? known
                : UUID.nameUUIDFromBytes(("oid:" + upn.toLowerCase(Locale.ROOT)).getBytes(StandardCharsets.UTF_8))
                        .toString();
    }

    private static final Map<String, String> SANDBOX_USERS = sandboxUsers();

    private static Map<String, String> sandboxUsers() {
        try {
            Map<String, String> ids = new HashMap<>();
            new ObjectMapper().readTree(Path.of("src", "local", "sandbox-devices.json").toFile()).path("users")
                    .forEach(user -> ids.put(user.path("userPrincipalName").asText().toLowerCase(Locale.ROOT),
                            user.path("id").asText()));
            return Map.copyOf(ids);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A token for a user named {@code upn} whose object id is {@code objectId} (after a rename, say). */
    public static String withObjectId(String upn, String objectId, String... roles) {
        return withRoles(base("sub-" + upn).claim("upn", upn).claim("oid", objectId), roles)
                .sign(LocalStack.signingKeys().getPrivate());
    }

    /** A token that names a user but carries no object id. */
    public static String withoutObjectId(String upn, String... roles) {
        return withRoles(base("sub-" + upn).claim("upn", upn), roles).sign(LocalStack.signingKeys().getPrivate());
    }

    /** A token with no upn claim (as for guest or personal accounts): only preferred_username and sub. */
    public static String withPreferredUsername(String preferredUsername, String... roles) {
        JwtClaimsBuilder claims = base("sub-" + preferredUsername).claim("preferred_username", preferredUsername)
                .claim("oid", objectIdOf(preferredUsername));
        return withRoles(claims, roles).sign(LocalStack.signingKeys().getPrivate());
    }

    /** A token naming its principal by subject only (as app-only tokens do). */
    public static String withSubjectOnly(String subject, String... roles) {
        return withRoles(base(subject), roles).sign(LocalStack.signingKeys().getPrivate());
    }

    /** A token with no app roles but Entra groups whose display names look like roles (they are not). */
    public static String withGroupsOnly(String upn, String... groupNames) {
        return base("sub-" + upn).claim("upn", upn).claim("groups", List.of(groupNames))
                .sign(LocalStack.signingKeys().getPrivate());
    }

    private static JwtClaimsBuilder claims(String upn, String... roles) {
        return withRoles(base("sub-" + upn).claim("upn", upn).claim("oid", objectIdOf(upn)), roles);
    }

    private static JwtClaimsBuilder base(String subject) {
        return Jwt.issuer(LocalStack.ISSUER)
                .audience(LocalStack.AUDIENCE)
                .subject(subject)
                .claim("tid", LocalStack.TENANT)
                .expiresIn(600);
    }

    private static JwtClaimsBuilder withRoles(JwtClaimsBuilder claims, String... roles) {
        if (roles.length > 0) {
            claims.claim("roles", List.of(roles));
        }
        return claims;
    }
}
