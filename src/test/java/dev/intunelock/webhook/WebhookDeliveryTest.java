package dev.intunelock.webhook;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.intunelock.testing.ApiGatewayEvents;
import dev.intunelock.testing.Awaiting;
import dev.intunelock.testing.GraphStubs;
import dev.intunelock.testing.LocalStack;
import dev.intunelock.testing.TestClock;
import dev.intunelock.testing.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;

/**
 * Real senders: a delivery answers well inside the sender's timeout whatever Graph does, takes every alert of its
 * group, and what it had no time for is finished by the retry sweep.
 */
@QuarkusTest
@WithTestResource(LocalStack.class)
class WebhookDeliveryTest {

    @Inject
    TestClock clock;

    @BeforeEach
    @AfterEach
    void restore() {
        clock.reset();
        CircuitBreakerMaintenance.get().resetAll();
    }

    @Test
    void aHundredAlertDeliveryAgainstASlowGraphAnswersWithinItsBudgetAndEveryAlertEndsLocked() {
        List<String> devices = new ArrayList<>();
        StringBuilder alerts = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            String deviceId = GraphStubs.newDeviceId();
            devices.add(deviceId);
            slowGraph(deviceId);
            alerts.append(i == 0 ? "" : ",").append(AlertGroupPayloads.alert("fp-" + deviceId,
                    WebhookContractTest.Kind.INTUNE_ID, deviceId, true));
        }
        byte[] group = AlertGroupPayloads.alertmanager(alerts.toString(), true);

        long started = System.nanoTime();
        ApiGatewayEvents.Answer answer = largeAlertmanagerDelivery(group);
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(202, answer.status());
        assertTrue(tookMillis < 10_000, "a sender waits about 10 s; the delivery took " + tookMillis + " ms");
        assertEquals(Collections.nCopies(100, "locked"), answer.body().getList("results.result"));
        assertEquals(100, answer.body().getList("results.lockId").stream().filter(Objects::nonNull).distinct().count(),
                "every alert has its lock id");
        List<String> statuses = answer.body().getList("results.lockStatus");
        assertTrue(statuses.contains("SENT"), "locks are sent while the delivery has time: " + statuses);
        assertTrue(statuses.contains("PENDING"), "the rest are recorded for the retry sweep: " + statuses);

        devices.forEach(deviceId -> {
            GraphStubs.device(deviceId, "android");
            GraphStubs.remoteLockAccepted(deviceId);
        });
        for (int run = 0; run < 10 && devices.stream().anyMatch(d -> GraphStubs.remoteLockCalls(d) == 0); run++) {
            given().post("/internal/retry-sweep").then().statusCode(200);
        }
        devices.forEach(deviceId -> assertEquals(1, GraphStubs.remoteLockCalls(deviceId),
                "every device of the group locked exactly once: " + deviceId));
        ApiGatewayEvents.Answer redelivered = largeAlertmanagerDelivery(group);
        assertEquals(List.of("locked"), redelivered.body().getList("results.result").stream().distinct().toList());
        assertEquals(List.of("SENT"), redelivered.body().getList("results.lockStatus").stream().distinct().toList());
        assertEquals(answer.body().getList("results.lockId"), redelivered.body().getList("results.lockId"));
    }

    @Test
    void anAlertTheDeliveryHadNoTimeForIsQueuedThenMatchedAndLockedByTheSweep() throws Exception {
        // As many slow alerts as the delivery handles at once, then one naming its device by serial number.
        List<String> slow = new ArrayList<>();
        StringBuilder alerts = new StringBuilder();
        for (int i = 0; i < WebhookService.PARALLEL_ALERTS; i++) {
            String deviceId = GraphStubs.newDeviceId();
            slow.add(deviceId);
            LocalStack.graph().stubFor(get(urlPathEqualTo(GraphStubs.DEVICES + deviceId))
                    .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                            .withBody(GraphStubs.deviceJson(deviceId, "android")).withFixedDelay(300)));
            GraphStubs.remoteLockAccepted(deviceId);
            alerts.append(AlertGroupPayloads.alert("fp-" + deviceId, WebhookContractTest.Kind.INTUNE_ID, deviceId,
                    true)).append(',');
        }
        String second = GraphStubs.newDeviceId();
        String serial = "C02" + second.substring(0, 8).toUpperCase();
        GraphStubs.devicesWhere("serialNumber eq '" + serial + "'", GraphStubs.deviceJson(second, "iPhone"));
        GraphStubs.device(second, "iPhone");
        GraphStubs.remoteLockAccepted(second);
        alerts.append(AlertGroupPayloads.alert("fp-" + second, WebhookContractTest.Kind.SERIAL, serial, true));
        byte[] group = AlertGroupPayloads.alertmanager(alerts.toString(), true);
        Thread timePassesWhileGraphIsSlow = new Thread(() -> {
            Awaiting.until(() -> LocalStack.graph()
                    .countRequestsMatching(getRequestedFor(urlPathEqualTo(GraphStubs.DEVICES + slow.get(0))).build())
                    .getCount() == 1);
            clock.setNow(Instant.now().plusSeconds(30));
        });
        timePassesWhileGraphIsSlow.start();

        ValidatableResponse answer = alertmanager(group);
        timePassesWhileGraphIsSlow.join();
        int last = WebhookService.PARALLEL_ALERTS;
        answer.statusCode(202)
                .body("results[0].result", equalTo("locked"))
                .body("results[0].lockStatus", equalTo("PENDING"))
                .body("results[0].lockId", notNullValue())
                .body("results[" + last + "].result", equalTo("queued"))
                .body("results[" + last + "].reason", containsString("retry sweep"));
        assertEquals(0, GraphStubs.remoteLockCalls(second));

        clock.setNow(Instant.now().plusSeconds(40));
        given().post("/internal/retry-sweep").then().statusCode(200)
                .body("alertsFinished", org.hamcrest.Matchers.greaterThanOrEqualTo(1));
        alertmanager(group).statusCode(202)
                .body("results.result", everyItem(equalTo("locked")))
                .body("results.lockStatus", everyItem(equalTo("SENT")))
                .body("results[" + last + "].deviceId", equalTo(second));
        slow.forEach(deviceId -> assertEquals(1, GraphStubs.remoteLockCalls(deviceId)));
        assertEquals(1, GraphStubs.remoteLockCalls(second));
    }

    @Test
    void alertsOfOneDeliveryNamingTheSameDeviceLockItOnce() {
        String deviceId = GraphStubs.newDeviceId();
        GraphStubs.device(deviceId, "iPhone");
        GraphStubs.remoteLockAnswers(deviceId, aResponse().withStatus(204).withFixedDelay(200));
        StringBuilder alerts = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            alerts.append(i == 0 ? "" : ",").append(AlertGroupPayloads.alert("fp-" + i + "-" + deviceId,
                    WebhookContractTest.Kind.INTUNE_ID, deviceId, true));
        }

        ValidatableResponse answer = alertmanager(AlertGroupPayloads.alertmanager(alerts.toString(), true))
                .statusCode(202).body("results", hasSize(6));
        List<String> results = answer.extract().path("results.result");
        assertEquals(1, results.stream().filter("locked"::equals).count(), results.toString());
        assertEquals(5, results.stream().filter("already-locked"::equals).count(), results.toString());
        List<String> lockIds = answer.extract().path("results.lockId");
        assertEquals(1, lockIds.stream().distinct().count(), "all name the one lock: " + lockIds);
        assertEquals(1, GraphStubs.remoteLockCalls(deviceId));
    }

    @Test
    void aRedeliveryShowsWhereTheLockStandsNow() {
        String deviceId = GraphStubs.newDeviceId();
        GraphStubs.listsAfterLock(deviceId, "android", GraphStubs.remoteLockResult("done", Instant.now()));
        byte[] body = generic(UUID.randomUUID().toString(), deviceId);
        String lockId = siem(body).statusCode(202).body("results[0].lockStatus", equalTo("SENT"))
                .extract().path("results[0].lockId");

        given().header("Authorization", "Bearer " + Tokens.withRoles("soc@contoso.example", "Lock.Devices"))
                .get("/v1/locks/" + lockId).then().statusCode(200).body("status", equalTo("DONE"));
        siem(body).statusCode(202).body("results[0].lockId", equalTo(lockId))
                .body("results[0].lockStatus", equalTo("DONE"));
        assertEquals(1, GraphStubs.remoteLockCalls(deviceId));
    }

    @Test
    void aGroupTheSenderTruncatedSaysHowManyAlertsWereLeftOut() {
        String deviceId = GraphStubs.newDeviceId();
        GraphStubs.device(deviceId, "android");
        GraphStubs.remoteLockAccepted(deviceId);
        byte[] group = new String(AlertGroupPayloads.alertmanager(AlertGroupPayloads.alert("fp-" + deviceId,
                WebhookContractTest.Kind.INTUNE_ID, deviceId, true), true), StandardCharsets.UTF_8)
                .replace("\"truncatedAlerts\":0", "\"truncatedAlerts\":3").getBytes(StandardCharsets.UTF_8);

        alertmanager(group).statusCode(202)
                .body("results[0].result", equalTo("locked"))
                .body("truncatedAlerts", equalTo(3))
                .body("warning", containsString("max_alerts"));
    }

    @Test
    void aFlappingAlertThatFiresAgainWithinTheCoolDownDoesNotLockTheDeviceAgain() {
        String deviceId = GraphStubs.newDeviceId();
        GraphStubs.listsAfterLock(deviceId, "android", GraphStubs.remoteLockResult("done", Instant.now()));
        String alert = AlertGroupPayloads.alert("fp-" + deviceId, WebhookContractTest.Kind.INTUNE_ID, deviceId, true);
        String lockId = alertmanager(AlertGroupPayloads.alertmanager(alert, true)).statusCode(202)
                .body("results[0].result", equalTo("locked")).extract().path("results[0].lockId");

        // It resolved and fires again: a new start time, so a new alert identity.
        String again = alert.replace("2026-11-25T09:51:03.157076+01:00", "2026-11-25T09:58:41.000000+01:00");
        alertmanager(AlertGroupPayloads.alertmanager(again, true)).statusCode(202)
                .body("results[0].result", equalTo("already-locked"))
                .body("results[0].lockId", equalTo(lockId))
                .body("results[0].reason", containsString("cool-down"));
        assertEquals(1, GraphStubs.remoteLockCalls(deviceId));

        clock.setNow(Instant.now().plus(Duration.ofMinutes(16)));
        String later = alert.replace("2026-11-25T09:51:03.157076+01:00", "2026-11-25T10:14:00.000000+01:00");
        alertmanager(AlertGroupPayloads.alertmanager(later, true)).statusCode(202)
                .body("results[0].result", equalTo("locked"));
        assertEquals(2, GraphStubs.remoteLockCalls(deviceId));
    }

    private static void slowGraph(String deviceId) {
        LocalStack.graph().stubFor(get(urlPathEqualTo(GraphStubs.DEVICES + deviceId))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(GraphStubs.deviceJson(deviceId, "android")).withFixedDelay(400)));
        GraphStubs.remoteLockAnswers(deviceId, aResponse().withStatus(204).withFixedDelay(400));
    }

    /** A group too large for the harness's plain HTTP entry goes in as the API Gateway event Lambda receives. */
    private static ApiGatewayEvents.Answer largeAlertmanagerDelivery(byte[] group) {
        return ApiGatewayEvents.post("/v1/webhooks/alertmanager", java.util.Map.of("Authorization", "Bearer am-new-secret"),
                group);
    }

    private static ValidatableResponse alertmanager(byte[] group) {
        return given().contentType("application/json").header("Authorization", "Bearer am-new-secret").body(group)
                .post("/v1/webhooks/alertmanager").then();
    }

    private static byte[] generic(String alertId, String deviceId) {
        return """
                {"id":"%s","deviceId":"%s","reason":"EDR: credential theft detected","severity":"critical"}"""
                .formatted(alertId, deviceId).getBytes(StandardCharsets.UTF_8);
    }

    private static ValidatableResponse siem(byte[] body) {
        long t = Instant.now().getEpochSecond();
        return given().contentType("application/json")
                .header("X-Signature-256", "t=" + t + ",v1=" + Hmac.sha256Hex("siem-new-secret", Hmac.utf8(t + "."), body))
                .body(body).post("/v1/webhooks/siem").then();
    }
}
