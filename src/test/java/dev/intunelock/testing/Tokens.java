package dev.intunelock.testing;

import java.time.Instant;
import java.util.List;

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

    /** A token with no upn claim (as for guest or personal accounts): only preferred_username and sub. */
    public static String withPreferredUsername(String preferredUsername, String... roles) {
        JwtClaimsBuilder claims = base("sub-" + preferredUsername).claim("preferred_username", preferredUsername);
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
        return withRoles(base("sub-" + upn).claim("upn", upn), roles);
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
