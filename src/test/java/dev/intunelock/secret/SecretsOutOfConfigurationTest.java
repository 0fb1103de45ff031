package dev.intunelock.secret;

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

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;

import dev.intunelock.testing.GraphStubs;
import dev.intunelock.testing.LocalStack;
import dev.intunelock.testing.SecretsInSandbox;
import dev.intunelock.testing.Template;
import dev.intunelock.testing.TestClock;
import dev.intunelock.testing.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/**
 * No secret value in the function's configuration: the Intune credential and webhook secrets are read from Secrets
 * Manager (the sandbox's stand-in) at first use, kept, and read again when a rotated secret stops working.
 */
@QuarkusTest
@WithTestResource(LocalStack.class)
class SecretsOutOfConfigurationTest {

    static final String TOKEN_PATH = "/" + LocalStack.TENANT + "/oauth2/v2.0/token";

    @Inject
    TestClock clock;

    @AfterEach
    void realTime() {
        clock.reset();
    }

    @Test
    void theIntuneClientSecretIsReadFromSecretsManagerAndReadAgainWhenEntraRejectsItAfterARotation() {
        lockAnIPhone(); // the function holds a token made with the secret as it was
        int readsBefore = secretReads(SecretsInSandbox.GRAPH_CLIENT_SECRET);
        int oldSecretTriesBefore = tokenRequestsWith("client_secret=test-secret");
        StubMapping oldSecretRejected = LocalStack.graph().stubFor(post(urlEqualTo(TOKEN_PATH)).atPriority(1)
                .withRequestBody(containing("client_secret=test-secret"))
                .willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json").withBody(
                        "{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000215: Invalid client secret "
                                + "provided.\",\"error_codes\":[7000215]}")));
        // Left in place: from now on the function holds the rotated secret, and later tests renew tokens with it.
        LocalStack.graph().stubFor(post(urlEqualTo(TOKEN_PATH)).atPriority(1)
                .withRequestBody(containing("client_secret=rotated-graph-secret"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(
                        "{\"token_type\":\"Bearer\",\"expires_in\":3599,\"access_token\":\"graph-rotated-token\"}")));
        try {
            SecretsInSandbox.put(SecretsInSandbox.GRAPH_CLIENT_SECRET, "rotated-graph-secret");
            // The token has expired, whatever clock earlier tests fetched it under (some move it 30 days ahead).
            clock.setNow(Instant.now().plus(Duration.ofDays(40)));

            String device = lockAnIPhone();

            LocalStack.graph().verify(postRequestedFor(urlPathEqualTo(
                    "/v1.0/deviceManagement/managedDevices/" + device + "/remoteLock"))
                    .withHeader("Authorization", equalTo("Bearer graph-rotated-token")));
            assertEquals(oldSecretTriesBefore + 1, tokenRequestsWith("client_secret=test-secret"),
                    "the old secret was tried once and rejected");
            assertEquals(readsBefore + 1, secretReads(SecretsInSandbox.GRAPH_CLIENT_SECRET),
                    "Secrets Manager was read again once, after the rejection");
        } finally {
            LocalStack.graph().removeStub(oldSecretRejected);
        }
    }

    private static String lockAnIPhone() {
        String device = GraphStubs.newDeviceId();
        GraphStubs.listsAfterLock(device, "iPhone", GraphStubs.remoteLockResult("pending", Instant.now()));
        given().header("Authorization", "Bearer " + Tokens.withRoles("helpdesk@contoso.example", "Lock.Devices"))
                .contentType("application/json").body("{\"deviceId\":\"" + device + "\",\"reason\":\"Lost\"}")
                .post("/v1/locks").then().statusCode(202).body("status", org.hamcrest.Matchers.equalTo("SENT"));
        return device;
    }

    private static int tokenRequestsWith(String formField) {
        return LocalStack.graph().findAll(postRequestedFor(urlEqualTo(TOKEN_PATH))
                .withRequestBody(containing(formField))).size();
    }

    @Test
    void aWebhookSourcesSecretsComeFromSecretsManagerAndARotationIsPickedUpWithoutARestart() {
        SecretsInSandbox.put(SecretsInSandbox.VAULTED_WEBHOOK_SECRETS, "vaulted-v1");
        deliver("vaulted-v1").statusCode(202);
        deliver("not-the-secret").statusCode(401);

        SecretsInSandbox.put(SecretsInSandbox.VAULTED_WEBHOOK_SECRETS, "vaulted-v2");
        int readsBefore = secretReads(SecretsInSandbox.VAULTED_WEBHOOK_SECRETS);
        clock.setNow(Instant.now().plusSeconds(31)); // a re-read is allowed every 30 s
        deliver("vaulted-v2").statusCode(202);
        assertEquals(readsBefore + 1, secretReads(SecretsInSandbox.VAULTED_WEBHOOK_SECRETS), "read again once");

        for (int attempt = 0; attempt < 5; attempt++) {
            deliver("vaulted-v1").statusCode(401);
        }
        assertEquals(readsBefore + 1, secretReads(SecretsInSandbox.VAULTED_WEBHOOK_SECRETS),
                "wrong proofs do not make the function read Secrets Manager again within 30 s");
    }

    @Test
    void templateYamlSetsNoSecretValueInTheFunctionsEnvironmentOnlySecretNames() {
        JsonNode environment = Template.functionEnvironment();
        List<String> names = new ArrayList<>();
        environment.fieldNames().forEachRemaining(names::add);
        assertTrue(names.containsAll(List.of("INTUNE_CLIENT_SECRET_ID", "INTUNE_CLIENT_CERTIFICATE_ID",
                "WEBHOOK_SIEM_SECRETS_ID")), names.toString());
        for (String name : names) {
            String value = environment.get(name).toString();
            assertFalse(value.contains("{{resolve:"), name + " resolves a secret value into the environment");
            assertFalse(name.matches(".*(SECRET|SECRETS|CERTIFICATE|PASSWORD|PRIVATE_KEY)"),
                    name + " would hold a secret value; pass the secret's name (" + name + "_ID)");
        }
        assertFalse(Template.json().path("Outputs").toString().contains("resolve:secretsmanager"));
    }

    @Test
    void theFunctionMayReadExactlyTheSecretsItIsGivenByName() {
        List<JsonNode> reads = Template.functionPolicyStatements().stream()
                .filter(s -> Template.actions(s).stream().anyMatch(a -> a.startsWith("secretsmanager:"))).toList();
        assertEquals(1, reads.size());
        assertEquals(List.of("secretsmanager:GetSecretValue"), Template.actions(reads.get(0)));
        String resources = reads.get(0).path("Resource").toString();
        assertFalse(resources.contains("secret:*") || resources.contains("\"*\""), resources);
        for (String parameter : List.of("IntuneClientCertificateSecretName", "IntuneClientSecretName",
                "SiemWebhookSecretName")) {
            assertTrue(resources.contains(":secret:${" + parameter + "}-??????"), parameter + " in " + resources);
        }
    }

    private ValidatableResponse deliver(String secret) {
        byte[] body = """
                {"id":"%s","reason":"EDR: credential theft detected","severity":"critical"}"""
                .formatted(UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        long t = clock.instant().getEpochSecond();
        return given().contentType("application/json").body(body)
                .header("X-Signature-256", "t=" + t + ",v1=" + hmacSha256Hex(secret, (t + ".").getBytes(), body))
                .post("/v1/webhooks/vaulted").then();
    }

    /** The generic format's signature, computed here as a sender would. */
    private static String hmacSha256Hex(String secret, byte[]... parts) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            for (byte[] part : parts) {
                mac.update(part);
            }
            return java.util.HexFormat.of().formatHex(mac.doFinal());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int secretReads(String name) {
        List<Map<String, String>> calls = given().get(LocalStack.sandboxUrl() + "/sandbox/secrets-calls").then()
                .statusCode(200).extract().jsonPath().getList("calls");
        return (int) calls.stream().filter(call -> "GetSecretValue".equals(call.get("operation"))
                && name.equals(call.get("secretId"))).count();
    }
}
