package dev.intunelock.intune;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.intunelock.testing.GraphStubs;
import dev.intunelock.testing.LocalStack;
import dev.intunelock.testing.SecretsInSandbox;
import dev.intunelock.testing.TestCertificate;
import dev.intunelock.testing.Tokens;
import dev.intunelock.testing.iam.TestAccount;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The Intune app may authenticate with its certificate instead of a client secret (Microsoft's recommendation for an
 * app holding PrivilegedOperations.All): the function signs a client assertion the way Entra ID documents it.
 */
@QuarkusTest
@TestProfile(GraphCertificateCredentialTest.CertificateCredential.class)
@WithTestResource(LocalStack.class)
class GraphCertificateCredentialTest {

    static final String TOKEN_PATH = "/" + LocalStack.TENANT + "/oauth2/v2.0/token";

    /**
     * The function started as deployed with a certificate credential: the PEM bundle's Secrets Manager name, read at
     * first use (the sandbox holds it by then).
     */
    public static class CertificateCredential implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("intune.client-certificate-id", TestAccount.GRAPH_CLIENT_CERTIFICATE);
        }
    }

    @Test
    void graphIsCalledWithATokenObtainedByASignedClientAssertionAndNoSharedSecret() throws Exception {
        SecretsInSandbox.put(TestAccount.GRAPH_CLIENT_CERTIFICATE, TestCertificate.pemBundle());
        LocalStack.graph().stubFor(post(urlEqualTo(TOKEN_PATH)).atPriority(1)
                .withRequestBody(containing("client_assertion_type="))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(
                        "{\"token_type\":\"Bearer\",\"expires_in\":3599,\"access_token\":\"graph-certificate-token\"}")));
        String device = GraphStubs.newDeviceId();
        GraphStubs.listsAfterLock(device, "iPhone", GraphStubs.remoteLockResult("pending", Instant.now()));

        given().header("Authorization", "Bearer " + Tokens.withRoles("helpdesk@contoso.example", "Lock.Devices"))
                .contentType("application/json").body("{\"deviceId\":\"" + device + "\",\"reason\":\"Lost\"}")
                .post("/v1/locks").then().statusCode(202).body("status", org.hamcrest.Matchers.equalTo("SENT"));
        LocalStack.graph().verify(postRequestedFor(urlPathEqualTo(
                "/v1.0/deviceManagement/managedDevices/" + device + "/remoteLock"))
                .withHeader("Authorization", equalTo("Bearer graph-certificate-token")));

        List<LoggedRequest> tokenRequests = LocalStack.graph().findAll(postRequestedFor(urlEqualTo(TOKEN_PATH)));
        Map<String, String> form = form(tokenRequests.get(tokenRequests.size() - 1).getBodyAsString());
        assertFalse(form.containsKey("client_secret"), "no shared secret is sent");
        assertEquals("client_credentials", form.get("grant_type"));
        assertEquals("test-client", form.get("client_id"));
        assertEquals("https://graph.microsoft.com/.default", form.get("scope"));
        assertEquals("urn:ietf:params:oauth:client-assertion-type:jwt-bearer", form.get("client_assertion_type"));

        String[] jwt = form.get("client_assertion").split("\\.");
        JsonNode header = json(jwt[0]);
        JsonNode claims = json(jwt[1]);
        byte[] der = TestCertificate.certificate().getEncoded();
        assertEquals("PS256", header.path("alg").asText());
        assertEquals("JWT", header.path("typ").asText());
        assertEquals(base64Url(MessageDigest.getInstance("SHA-256").digest(der)), header.path("x5t#S256").asText());
        assertEquals(LocalStack.graph().baseUrl() + TOKEN_PATH, claims.path("aud").asText());
        assertEquals("test-client", claims.path("iss").asText());
        assertEquals("test-client", claims.path("sub").asText());
        assertFalse(claims.path("jti").asText().isEmpty());
        long lifetime = claims.path("exp").asLong() - claims.path("nbf").asLong();
        assertTrue(lifetime > 0 && lifetime <= 600, "short-lived: " + lifetime + " s");

        Signature pss = Signature.getInstance("RSASSA-PSS");
        pss.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
        pss.initVerify(TestCertificate.certificate().getPublicKey());
        pss.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
        assertTrue(pss.verify(Base64.getUrlDecoder().decode(jwt[2])), "signed with the certificate's key");
    }

    private static Map<String, String> form(String body) {
        return Arrays.stream(body.split("&")).map(field -> field.split("=", 2)).collect(Collectors.toMap(
                pair -> URLDecoder.decode(pair[0], StandardCharsets.UTF_8),
                pair -> URLDecoder.decode(pair[1], StandardCharsets.UTF_8)));
    }

    private static JsonNode json(String base64Url) throws Exception {
        return new ObjectMapper().readTree(Base64.getUrlDecoder().decode(base64Url));
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
