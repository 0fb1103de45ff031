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

import com.fasterxml.jackson.core.io.JsonStringEncoder;

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
        return GenericSenderSignature.headers(body, secret, at);
    }

    @Test
    void aStaleTimestampIs401() {
        String deviceId = lockableDevice("android");
        byte[] body = payload(UUID.randomUUID().toString(), INTUNE_ID, deviceId, true);
        send(new Delivery(body, sign(body, currentSecret(), Instant.now().minusSeconds(301)))).statusCode(401);
        // The header carries whole seconds: "now + 301 s" can reach the function 300.x s ahead, inside the tolerance.
        send(new Delivery(body, sign(body, currentSecret(), Instant.now().plusSeconds(302)))).statusCode(401);
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
    void whenIntuneCannotBeAskedTheDeliveryIs503SoTheSenderRedelivers() {
        String serial = "C02" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        String filter = "serialNumber eq '" + serial + "'";
        LocalStack.graph().stubFor(com.github.tomakehurst.wiremock.client.WireMock
                .get(com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/beta/deviceManagement/managedDevices"))
                .withQueryParam("$filter", com.github.tomakehurst.wiremock.client.WireMock.equalTo(filter))
                .willReturn(GraphStubs.graphError(503, "ServiceUnavailable", "Busy", "req-busy")));
        byte[] body = payload(UUID.randomUUID().toString(), Kind.SERIAL, serial, true);
        try {
            send(new Delivery(body, sign(body, currentSecret(), Instant.now()))).statusCode(503)
                    .contentType("application/problem+json")
                    .header("Retry-After", org.hamcrest.Matchers.notNullValue());

            String deviceId = lockableDevice("android");
            GraphStubs.devicesWhere(filter, GraphStubs.deviceJson(deviceId, "android"));
            send(new Delivery(body, sign(body, currentSecret(), Instant.now()))).statusCode(202)
                    .body("results[0].result", equalTo("locked"));
            assertEquals(1, GraphStubs.remoteLockCalls(deviceId));
        } finally {
            io.smallrye.faulttolerance.api.CircuitBreakerMaintenance.get().resetAll();
        }
    }

    @Test
    void aLockGraphRefusesIsReportedRefusedNotLocked() {
        String deviceId = newDeviceIdWithRefusedLock();
        send(delivery(UUID.randomUUID().toString(), INTUNE_ID, deviceId, true)).statusCode(202)
                .body("results[0].result", equalTo("refused"))
                .body("results[0].reason", org.hamcrest.Matchers.containsString("Forbidden"));
    }

    private static String newDeviceIdWithRefusedLock() {
        String deviceId = GraphStubs.newDeviceId();
        GraphStubs.device(deviceId, "android");
        GraphStubs.remoteLockAnswers(deviceId, GraphStubs.graphError(403, "Forbidden", "Not allowed", "req-403"));
        return deviceId;
    }

    @Test
    void anUnknownSourceIs404() {
        given().contentType("application/json").body("{}").post("/v1/webhooks/nobody").then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void aPayloadOverTheLimitSentWithoutContentLengthIs413Too() {
        String body = "{\"id\":\"x\",\"reason\":\"" + "x".repeat(300_000) + "\"}";
        String event = """
                {"version":"2.0","routeKey":"$default","rawPath":"/v1/webhooks/siem","rawQueryString":"",
                 "headers":{"content-type":"application/json","transfer-encoding":"chunked"},
                 "requestContext":{"http":{"method":"POST","path":"/v1/webhooks/siem","protocol":"HTTP/1.1",
                 "sourceIp":"127.0.0.1"}},"body":%s,"isBase64Encoded":false}"""
                .formatted("\"" + new String(JsonStringEncoder.getInstance().quoteAsString(body)) + "\"");
        // A raw API Gateway event, as a chunked request arrives: no Content-Length for the filter to read.
        given().contentType("application/json").body(event).post("/_lambda_").then().statusCode(200)
                .body("statusCode", equalTo(413));
    }

    @Test
    void aPayloadOverTheLimitIs413() {
        byte[] body = ("{\"id\":\"x\",\"reason\":\"" + "x".repeat(300_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        send(new Delivery(body, sign(body, currentSecret(), Instant.now()))).statusCode(413)
                .contentType("application/problem+json");
    }
}
