package dev.intunelock.webhook;

import static dev.intunelock.testing.GraphStubs.newDeviceId;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.intunelock.testing.GraphStubs;
import dev.intunelock.testing.LocalStack;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Grafana Alerting's webhook contact point: {@code X-Grafana-Alerting-Signature}, hex HMAC-SHA256 of the body. */
@QuarkusTest
@WithTestResource(LocalStack.class)
class GrafanaWebhookTest extends WebhookContractTest {

    @Override
    String source() {
        return "grafana";
    }

    @Override
    String currentSecret() {
        return "grafana-new-secret";
    }

    @Override
    String previousSecret() {
        return "grafana-old-secret";
    }

    @Override
    byte[] payload(String alertId, Kind kind, String value, boolean firing) {
        return AlertGroupPayloads.grafana(AlertGroupPayloads.alert(alertId, kind, value, firing), firing);
    }

    @Override
    Map<String, String> sign(byte[] body, String secret, Instant at) {
        return Map.of("X-Grafana-Alerting-Signature", Hmac.sha256Hex(secret, body));
    }

    @Test
    void withATimestampHeaderConfiguredTheSignatureCoversTimestampAndBodyAndStaleIs401() {
        String deviceId = lockableDevice("android");
        byte[] body = payload(UUID.randomUUID().toString(), Kind.INTUNE_ID, deviceId, true);

        long stale = Instant.now().minusSeconds(600).getEpochSecond();
        signedWithTimestamp(body, stale).statusCode(401);
        given().contentType("application/json").body(body)
                .header("X-Grafana-Alerting-Signature", Hmac.sha256Hex("grafana-ts-new-secret", body))
                .post("/v1/webhooks/grafana-ts").then().statusCode(401);
        assertEquals(0, GraphStubs.remoteLockCalls(deviceId));

        signedWithTimestamp(body, Instant.now().getEpochSecond()).statusCode(202)
                .body("results[0].result", equalTo("locked"));
    }

    private io.restassured.response.ValidatableResponse signedWithTimestamp(byte[] body, long timestamp) {
        return given().contentType("application/json").body(body)
                .header("X-Grafana-Alerting-Timestamp", String.valueOf(timestamp))
                .header("X-Grafana-Alerting-Signature",
                        Hmac.sha256Hex("grafana-ts-new-secret", Hmac.utf8(timestamp + ":"), body))
                .post("/v1/webhooks/grafana-ts").then();
    }

    @Test
    void aGroupOfAlertsLocksEachDeviceAtMostOnce() {
        String first = lockableDevice("android");
        String second = lockableDevice("iPhone");
        String alerts = String.join(",",
                AlertGroupPayloads.alert(UUID.randomUUID().toString(), Kind.INTUNE_ID, first, true),
                AlertGroupPayloads.alert(UUID.randomUUID().toString(), Kind.INTUNE_ID, first, true),
                AlertGroupPayloads.alert(UUID.randomUUID().toString(), Kind.INTUNE_ID, second, true),
                AlertGroupPayloads.alert(UUID.randomUUID().toString(), Kind.INTUNE_ID, newDeviceId(), false));
        byte[] body = AlertGroupPayloads.grafana(alerts, true);
        GraphStubs.noSuchDevice(newDeviceId());

        String lockId = send(new Delivery(body, sign(body, currentSecret(), Instant.now()))).statusCode(202)
                .body("results", hasSize(4))
                .body("results[0].result", equalTo("locked"))
                .body("results[1].result", equalTo("already-locked"))
                .body("results[2].result", equalTo("locked"))
                .body("results[3].result", equalTo("ignored"))
                .extract().path("results[0].lockId");

        assertEquals(1, GraphStubs.remoteLockCalls(first));
        assertEquals(1, GraphStubs.remoteLockCalls(second));
        send(new Delivery(body, sign(body, currentSecret(), Instant.now()))).statusCode(202)
                .body("results[0].lockId", equalTo(lockId));
        assertEquals(1, GraphStubs.remoteLockCalls(first));
    }
}
