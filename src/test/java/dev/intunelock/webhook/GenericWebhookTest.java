package dev.intunelock.webhook;

import static dev.intunelock.webhook.WebhookContractTest.Kind.INTUNE_ID;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.intunelock.testing.GraphStubs;
import dev.intunelock.testing.LocalStack;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Our own documented format, signed like Stripe: {@code X-Signature-256: t=<unix>,v1=<hex>}. */
@QuarkusTest
@WithTestResource(LocalStack.class)
class GenericWebhookTest extends WebhookContractTest {

    @Override
    String source() {
        return "siem";
    }

    @Override
    String currentSecret() {
        return "siem-new-secret";
    }

    @Override
    String previousSecret() {
        return "siem-old-secret";
    }

    @Override
    byte[] payload(String alertId, Kind kind, String value, boolean firing) {
        String field = switch (kind) {
            case INTUNE_ID -> "deviceId";
            case SERIAL -> "serialNumber";
            case NAME -> "deviceName";
        };
        return """
                {"id":"%s","%s":"%s","reason":"EDR: credential theft detected","severity":"critical","status":"%s"}"""
                .formatted(alertId, field, value, firing ? "firing" : "resolved").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    Map<String, String> sign(byte[] body, String secret, Instant at) {
        long t = at.getEpochSecond();
        return Map.of("X-Signature-256", "t=" + t + ",v1=" + Hmac.sha256Hex(secret, Hmac.utf8(t + "."), body));
    }

    @Test
    void aStaleTimestampIs401() {
        String deviceId = lockableDevice("android");
        byte[] body = payload(UUID.randomUUID().toString(), INTUNE_ID, deviceId, true);
        send(new Delivery(body, sign(body, currentSecret(), Instant.now().minusSeconds(301)))).statusCode(401);
        send(new Delivery(body, sign(body, currentSecret(), Instant.now().plusSeconds(301)))).statusCode(401);
        assertEquals(0, GraphStubs.remoteLockCalls(deviceId));
    }

    @Test
    void severalSignaturesMayBeSentAndOneValidIsEnough() {
        String deviceId = lockableDevice("android");
        byte[] body = payload(UUID.randomUUID().toString(), INTUNE_ID, deviceId, true);
        long t = Instant.now().getEpochSecond();
        String header = "t=" + t + ",v1=" + Hmac.sha256Hex("unknown-secret", Hmac.utf8(t + "."), body)
                + ",v1=" + Hmac.sha256Hex(currentSecret(), Hmac.utf8(t + "."), body);
        send(new Delivery(body, Map.of("X-Signature-256", header))).statusCode(202)
                .body("results[0].result", equalTo("locked"));
    }

    @Test
    void anAlertBelowTheSourcesMinimumSeverityIsIgnored() {
        String deviceId = lockableDevice("android");
        byte[] body = """
                {"id":"%s","deviceId":"%s","reason":"Odd login","severity":"warning"}"""
                .formatted(UUID.randomUUID(), deviceId).getBytes(StandardCharsets.UTF_8);
        long t = Instant.now().getEpochSecond();
        given().contentType("application/json").body(body)
                .header("X-Signature-256", "t=" + t + ",v1=" + Hmac.sha256Hex("critical-secret", Hmac.utf8(t + "."), body))
                .post("/v1/webhooks/critical-only").then().statusCode(202)
                .body("results[0].result", equalTo("ignored"));
        assertEquals(0, GraphStubs.remoteLockCalls(deviceId));
    }

    @Test
    void anUnknownSourceIs404() {
        given().contentType("application/json").body("{}").post("/v1/webhooks/nobody").then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void aPayloadOverTheLimitIs413() {
        byte[] body = ("{\"id\":\"x\",\"reason\":\"" + "x".repeat(300_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        send(new Delivery(body, sign(body, currentSecret(), Instant.now()))).statusCode(413)
                .contentType("application/problem+json");
    }
}
