package dev.intunelock.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate and its private key, made by the JDK's keytool as an administrator would make one for
 * the Intune app registration, handed to the function as a PEM bundle.
 */
public final class TestCertificate {

    private static final char[] PASSWORD = "test-only".toCharArray();
    private static X509Certificate certificate;
    private static PrivateKey privateKey;
    private static X509Certificate otherCertificate;

    private TestCertificate() {
    }

    public static synchronized X509Certificate certificate() {
        make();
        return certificate;
    }

    /**
     * The private key (PKCS#8) and the certificate in one PEM bundle, after another certificate (as when a bundle
     * carries a chain): the function must pick the certificate of its key.
     */
    public static synchronized String pemBundle() {
        make();
        try {
            return pem("CERTIFICATE", otherCertificate.getEncoded()) + pem("PRIVATE KEY", privateKey.getEncoded())
                    + pem("CERTIFICATE", certificate.getEncoded());
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void make() {
        if (certificate != null) {
            return;
        }
        try {
            Path store = Files.createDirectories(Path.of("target", "test-keys")).resolve("intune-app.p12");
            Files.deleteIfExists(store);
            keyPair(store, "intune-app", "CN=intune-lock-test");
            keyPair(store, "other-ca", "CN=some-ca");
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                keys.load(in, PASSWORD);
            }
            privateKey = (PrivateKey) keys.getKey("intune-app", PASSWORD);
            certificate = (X509Certificate) keys.getCertificate("intune-app");
            otherCertificate = (X509Certificate) keys.getCertificate("other-ca");
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void keyPair(Path store, String alias, String name) throws IOException, InterruptedException {
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", alias, "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", name, "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        keytool.getInputStream().transferTo(System.out);
        if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
            throw new IllegalStateException("keytool failed");
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
