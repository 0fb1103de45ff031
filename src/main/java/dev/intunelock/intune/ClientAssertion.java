package dev.intunelock.intune;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.PSSParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.intunelock.random.FreshRandom;

/**
 * The app's certificate credential (Entra ID's {@code private_key_jwt}): a short-lived JWT assertion signed with the
 * certificate's private key, as Microsoft's identity platform documents it: PS256, the certificate's SHA-256
 * thumbprint in {@code x5t#S256} (and the SHA-1 one in {@code x5t}, for older validators), audience the token
 * endpoint, issuer and subject the client id. JDK crypto only. The PEM bundle holds a PKCS#8 private key
 * ({@code -----BEGIN PRIVATE KEY-----}) and the certificate registered on the app.
 */
final class ClientAssertion {

    static final Duration LIFETIME = Duration.ofMinutes(5);
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END \\1-----");
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    private final PrivateKey key;
    private final X509Certificate certificate;

    private ClientAssertion(PrivateKey key, X509Certificate certificate) {
        this.key = key;
        this.certificate = certificate;
    }

    /** Reads a PEM bundle; {@link IllegalArgumentException} (naming what is missing, never the key) if unusable. */
    static ClientAssertion fromPem(String bundle) {
        RSAPrivateKey key = null;
        List<X509Certificate> certificates = new ArrayList<>();
        Matcher block = PEM.matcher(bundle);
        try {
            while (block.find()) {
                byte[] der = Base64.getMimeDecoder().decode(block.group(2));
                if (block.group(1).equals("PRIVATE KEY")) {
                    key = (RSAPrivateKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
                } else if (block.group(1).equals("CERTIFICATE")) {
                    certificates.add((X509Certificate) CertificateFactory.getInstance("X.509")
                            .generateCertificate(new ByteArrayInputStream(der)));
                }
            }
        } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException unreadable) {
            throw new IllegalArgumentException("the certificate credential is not a readable PEM bundle ("
                    + unreadable.getClass().getSimpleName() + ")");
        }
        if (key == null) {
            throw new IllegalArgumentException("the certificate credential needs a PKCS#8 RSA private key "
                    + "(BEGIN PRIVATE KEY) and its certificate (BEGIN CERTIFICATE) in one PEM bundle");
        }
        // The bundle may carry a chain too: ours is the certificate of this key.
        BigInteger modulus = key.getModulus();
        X509Certificate own = certificates.stream()
                .filter(candidate -> candidate.getPublicKey() instanceof RSAPublicKey rsa
                        && rsa.getModulus().equals(modulus))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the certificate credential holds no certificate "
                        + "of its private key"));
        return new ClientAssertion(key, own);
    }

    /** A fresh assertion for {@code clientId} at {@code tokenUrl}, valid {@link #LIFETIME} from {@code now}. */
    String signed(String clientId, String tokenUrl, Instant now) {
        try {
            byte[] der = certificate.getEncoded();
            String header = "{\"alg\":\"PS256\",\"typ\":\"JWT\",\"x5t#S256\":\"" + thumbprint("SHA-256", der)
                    + "\",\"x5t\":\"" + thumbprint("SHA-1", der) + "\"}";
            long issued = now.getEpochSecond();
            String claims = "{\"aud\":\"" + json(tokenUrl) + "\",\"iss\":\"" + json(clientId) + "\",\"sub\":\""
                    + json(clientId) + "\",\"jti\":\"" + FreshRandom.uuid() + "\",\"nbf\":" + issued + ",\"iat\":"
                    + issued + ",\"exp\":" + (issued + LIFETIME.toSeconds()) + "}";
            String signingInput = URL.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                    + URL.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
            Signature signature = Signature.getInstance("RSASSA-PSS");
            signature.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
            signature.initSign(key);
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + URL.encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the client assertion could not be signed: " + e.getClass().getSimpleName());
        }
    }

    private static String thumbprint(String algorithm, byte[] der) throws GeneralSecurityException {
        return URL.encodeToString(MessageDigest.getInstance(algorithm).digest(der));
    }

    private static String json(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    @Override
    public String toString() {
        return "ClientAssertion[" + certificate.getSubjectX500Principal().getName() + "]";
    }
}
