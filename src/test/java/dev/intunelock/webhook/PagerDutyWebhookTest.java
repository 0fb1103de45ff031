package dev.intunelock.webhook;

import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.intunelock.testing.LocalStack;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** PagerDuty V3 webhooks: {@code X-PagerDuty-Signature: v1=<hex HMAC-SHA256 of the body>}, possibly several. */
@QuarkusTest
@WithTestResource(LocalStack.class)
class PagerDutyWebhookTest extends WebhookContractTest {

    @Override
    String source() {
        return "pagerduty";
    }

    @Override
    String currentSecret() {
        return "pd-new-secret";
    }

    @Override
    String previousSecret() {
        return "pd-old-secret";
    }

    @Override
    byte[] payload(String alertId, Kind kind, String value, boolean firing) {
        return event(alertId, firing ? "incident.triggered" : "incident.resolved",
                AlertGroupPayloads.label(kind), value);
    }

    @Override
    Map<String, String> sign(byte[] body, String secret, Instant at) {
        return Map.of("X-PagerDuty-Signature", "v1=" + Hmac.sha256Hex(secret, body));
    }

    static byte[] event(String id, String type, String field, String value) {
        return """
                {"event":{"id":"%s","event_type":"%s","resource_type":"incident",
                 "occurred_at":"2026-11-25T08:45:22.169Z",
                 "agent":{"html_url":"https://acme.pagerduty.com/users/PLH1HKV","id":"PLH1HKV",
                          "self":"https://api.pagerduty.com/users/PLH1HKV","summary":"SOC Bot","type":"user_reference"},
                 "client":null,
                 "data":{"id":"PGR0VU2","type":"incident","self":"https://api.pagerduty.com/incidents/PGR0VU2",
                         "html_url":"https://acme.pagerduty.com/incidents/PGR0VU2","number":2,"status":"triggered",
                         "incident_key":"d3640fbd41094207a1c11e58e46b1662","created_at":"2026-11-25T08:45:20Z",
                         "title":"Laptop reported stolen","urgency":"high",
                         "service":{"html_url":"https://acme.pagerduty.com/services/PF9KMXH","id":"PF9KMXH",
                                    "self":"https://api.pagerduty.com/services/PF9KMXH","summary":"Endpoint security",
                                    "type":"service_reference"},
                         "assignees":[],"escalation_policy":null,"teams":[],"priority":null,
                         "conference_bridge":null,"resolve_reason":null,
                         "custom_fields":[{"name":"%s","value":"%s"}]}}}"""
                .formatted(id, type, field, value).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void severalSignaturesMayBeSentAndOneValidIsEnough() {
        String deviceId = lockableDevice("android");
        byte[] body = payload(UUID.randomUUID().toString(), Kind.INTUNE_ID, deviceId, true);
        send(new Delivery(body, Map.of("X-PagerDuty-Signature",
                "v1=" + Hmac.sha256Hex("rotated-away", body) + ",v1=" + Hmac.sha256Hex(currentSecret(), body))))
                .statusCode(202).body("results[0].result", equalTo("locked"));
    }

    @Test
    void anAcknowledgementIsNotATriggerAndIsIgnored() {
        String deviceId = lockableDevice("android");
        byte[] body = event(UUID.randomUUID().toString(), "incident.acknowledged", "intune_device_id", deviceId);
        send(new Delivery(body, sign(body, currentSecret(), Instant.now()))).statusCode(202)
                .body("results[0].result", equalTo("ignored"));
    }
}
