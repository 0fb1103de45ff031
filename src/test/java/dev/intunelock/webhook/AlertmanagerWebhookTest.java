package dev.intunelock.webhook;

import static io.restassured.RestAssured.given;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.intunelock.testing.LocalStack;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Prometheus Alertmanager (webhook version 4); it does not sign, so http_config sends a bearer secret. */
@QuarkusTest
@WithTestResource(LocalStack.class)
class AlertmanagerWebhookTest extends WebhookContractTest {

    @Override
    String source() {
        return "alertmanager";
    }

    @Override
    String currentSecret() {
        return "am-new-secret";
    }

    @Override
    String previousSecret() {
        return "am-old-secret";
    }

    @Override
    byte[] payload(String alertId, Kind kind, String value, boolean firing) {
        return AlertGroupPayloads.alertmanager(AlertGroupPayloads.alert(alertId, kind, value, firing), firing);
    }

    /** A bearer secret proves the sender, not the body: "tampering" is only caught by TLS here. */
    @Override
    Map<String, String> sign(byte[] body, String secret, Instant at) {
        return Map.of("Authorization", "Bearer " + secret);
    }

    @Override
    @Test
    void aTamperedBodyIs401() {
        // Alertmanager cannot sign its body; what this format can refuse is a wrong or missing bearer secret.
        given().contentType("application/json").body("{}".getBytes(StandardCharsets.UTF_8))
                .header("Authorization", "Bearer am-new-secretX").post("/v1/webhooks/alertmanager").then()
                .statusCode(401);
        given().contentType("application/json").body("{}".getBytes(StandardCharsets.UTF_8))
                .header("Authorization", "Basic YW06YW0tbmV3LXNlY3JldA==").post("/v1/webhooks/alertmanager").then()
                .statusCode(401);
    }

    @Test
    void aPayloadOfAnotherVersionIs400() {
        byte[] body = "{\"version\":\"3\",\"alerts\":[]}".getBytes(StandardCharsets.UTF_8);
        send(new Delivery(body, sign(body, currentSecret(), Instant.now()))).statusCode(400)
                .contentType("application/problem+json");
    }
}
