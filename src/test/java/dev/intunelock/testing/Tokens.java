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

    private static JwtClaimsBuilder claims(String upn, String... roles) {
        JwtClaimsBuilder claims = Jwt.issuer(LocalStack.ISSUER)
                .audience(LocalStack.AUDIENCE)
                .subject("sub-" + upn)
                .claim("upn", upn)
                .claim("tid", LocalStack.TENANT)
                .expiresIn(600);
        if (roles.length > 0) {
            claims.claim("roles", List.of(roles));
        }
        return claims;
    }
}
