package dev.intunelock.intune;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.intunelock.secret.ConfiguredSecret;
import dev.intunelock.secret.Secrets;

/**
 * How the Intune app proves itself to Entra ID's token endpoint: with its certificate (a signed client assertion;
 * Microsoft's recommendation for an app holding {@code PrivilegedOperations.All}) when one is configured, else with
 * its client secret. Either is read at first use, from Secrets Manager in AWS ({@code INTUNE_CLIENT_CERTIFICATE_ID}
 * or {@code INTUNE_CLIENT_SECRET_ID}) or from the plain variable in local runs and tests, and read again when the
 * token endpoint rejects it (it was rotated).
 */
@ApplicationScoped
class GraphCredential {

    private final Secrets secrets;
    private final Clock clock;
    private final String clientId;
    private final ConfiguredSecret certificate;
    private final ConfiguredSecret clientSecret;

    GraphCredential(Secrets secrets, Clock clock, @ConfigProperty(name = "intune.client-id") String clientId,
            @ConfigProperty(name = "intune.client-certificate-id") Optional<String> certificateId,
            @ConfigProperty(name = "intune.client-certificate") Optional<String> certificatePem,
            @ConfigProperty(name = "intune.client-secret-id") Optional<String> clientSecretId,
            @ConfigProperty(name = "intune.client-secret") Optional<String> clientSecretValue) {
        this.secrets = secrets;
        this.clock = clock;
        this.clientId = clientId;
        this.certificate = ConfiguredSecret.of("INTUNE_CLIENT_CERTIFICATE", certificateId, certificatePem);
        this.clientSecret = ConfiguredSecret.of("INTUNE_CLIENT_SECRET", clientSecretId, clientSecretValue);
    }

    /** The form of a client-credentials token request for Graph, with the credential as it stands now. */
    Map<String, String> tokenRequest(String tokenUrl) {
        return form(tokenUrl, usesCertificate() ? secrets.current(certificate) : secrets.current(clientSecret));
    }

    /** After the endpoint rejected the credential: the request with a rotated one, if Secrets Manager has one. */
    Optional<Map<String, String>> rotatedTokenRequest(String tokenUrl) {
        return secrets.rotated(usesCertificate() ? certificate : clientSecret).map(value -> form(tokenUrl, value));
    }

    private boolean usesCertificate() {
        return certificate.isSet();
    }

    private Map<String, String> form(String tokenUrl, String credential) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        form.put("client_id", clientId);
        form.put("scope", "https://graph.microsoft.com/.default");
        if (usesCertificate()) {
            form.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
            form.put("client_assertion", ClientAssertion.fromPem(credential).signed(clientId, tokenUrl,
                    clock.instant()));
        } else {
            form.put("client_secret", credential);
        }
        return form;
    }

    @Override
    public String toString() {
        return "GraphCredential[" + clientId + ", " + (usesCertificate() ? certificate : clientSecret) + "]";
    }
}
