package dev.intunelock.lock;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static dev.intunelock.lock.LockApi.lock;
import static dev.intunelock.lock.LockApi.status;
import static dev.intunelock.testing.GraphStubs.device;
import static dev.intunelock.testing.GraphStubs.graphError;
import static dev.intunelock.testing.GraphStubs.newDeviceId;
import static dev.intunelock.testing.GraphStubs.remoteLockAccepted;
import static dev.intunelock.testing.GraphStubs.remoteLockAnswers;
import static dev.intunelock.testing.GraphStubs.remoteLockCalls;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import dev.intunelock.testing.GraphStubs;
import dev.intunelock.testing.LocalStack;
import dev.intunelock.testing.TestClock;
import dev.intunelock.testing.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The scheduled retry sweep sends the pending locks whose wait is over. Runs first: the sweep takes every due lock
 * of the shared table, and later classes leave pending locks whose stubs fail on purpose.
 */
@QuarkusTest
@WithTestResource(LocalStack.class)
@Order(1)
class RetrySweepTest {

    final String token = Tokens.withRoles("soc@contoso.example", "Lock.Devices");

    @Inject
    TestClock clock;

    @Inject
    DynamoDbClient dynamo;

    @AfterEach
    void restore() {
        clock.reset();
        CircuitBreakerMaintenance.get().resetAll();
    }

    @Test
    void theSweepSendsAPendingLockOnceItsWaitIsOverWithoutAnyoneAskingAgain() {
        String deviceId = newDeviceId();
        device(deviceId, "android");
        remoteLockAnswers(deviceId, graphError(503, "ServiceUnavailable", "Service unavailable", "req-503"));
        String lockId = lock(token, deviceId).statusCode(202).body("status", equalTo("PENDING"))
                .extract().path("lockId");

        given().post("/internal/retry-sweep").then().statusCode(200).body("due", equalTo(0)); // not due yet

        remoteLockAccepted(deviceId);
        clock.setNow(Instant.now().plusSeconds(120));
        given().post("/internal/retry-sweep").then().statusCode(200)
                .body("due", greaterThanOrEqualTo(1))
                .body("sent", greaterThanOrEqualTo(1));

        status(token, lockId).statusCode(200).body("status", equalTo("SENT")).body("attempts", equalTo(2));
        assertEquals(5, remoteLockCalls(deviceId));
    }

    @Test
    void theSweepDoesNotResendALockThatReachedIntuneDespiteATimeout() {
        String mac = newDeviceId();
        device(mac, "macMDM");
        remoteLockAnswers(mac, aResponse().withStatus(204).withFixedDelay(3000));
        String lockId = lock(token, mac).statusCode(202).body("error.code", equalTo("timeout")).extract().path("lockId");

        device(mac, "macMDM", GraphStubs.macLockResult("pending", Instant.now(), dev.intunelock.testing.TestPins.next()));
        clock.setNow(Instant.now().plusSeconds(120));
        given().post("/internal/retry-sweep").then().statusCode(200).body("sent", greaterThanOrEqualTo(1));

        status(token, lockId).statusCode(200).body("status", equalTo("SENT")).body("pin.status", equalTo("STORED"));
        assertEquals(1, remoteLockCalls(mac));
    }

    @Test
    void theSweepCapturesAnAwaitedMacPinWhileIntuneShowsItWithNobodyReadingIt() {
        String mac = newDeviceId();
        Instant started = Instant.now();
        GraphStubs.listsAfterLock(mac, "macMDM", GraphStubs.macLockResult("pending", started, null));
        lock(token, mac).statusCode(202).body("pin.status", equalTo("AWAITING"));

        String pin = dev.intunelock.testing.TestPins.next();
        device(mac, "macMDM", GraphStubs.macLockResult("pending", started, pin));
        given().post("/internal/retry-sweep").then().statusCode(200)
                .body("pinsAwaited", greaterThanOrEqualTo(1))
                .body("pinsCaptured", greaterThanOrEqualTo(1));

        // Another device action hides the PIN in Intune; the sweep already holds it.
        device(mac, "macMDM", GraphStubs.actionResult("rebootNow", "pending", Instant.now()),
                GraphStubs.macLockResult("done", started, null));
        given().header("Authorization", "Bearer " + Tokens.withRoles("reader@contoso.example", "Pins.Read"))
                .get("/v1/devices/" + mac + "/pin").then().statusCode(200).body("pin", equalTo(pin));
    }

    @Test
    void aPinIntuneNeverReportsIsGivenUpByTheSweepAfterADayAndTheMacStaysGuarded() {
        String mac = newDeviceId();
        GraphStubs.listsAfterLock(mac, "macMDM", GraphStubs.macLockResult("pending", Instant.now(), null));
        String lockId = lock(token, mac).statusCode(202).body("pin.status", equalTo("AWAITING")).extract().path("lockId");

        clock.setNow(Instant.now().plus(Duration.ofDays(1)).plusSeconds(1));
        given().post("/internal/retry-sweep").then().statusCode(200).body("pinsUnavailable", greaterThanOrEqualTo(1));

        status(token, lockId).statusCode(200).body("pin.status", equalTo("UNAVAILABLE"));
        lock(token, mac).statusCode(409).body("lockId", equalTo(lockId));
        assertEquals(1, remoteLockCalls(mac));
    }

    @Test
    void onePoisonedLockAmongTenDoesNotStopTheSweepFromFinishingTheOtherNine() {
        List<String> devices = new ArrayList<>();
        List<String> lockIds = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            String deviceId = newDeviceId();
            device(deviceId, "android");
            remoteLockAnswers(deviceId, graphError(503, "ServiceUnavailable", "Service unavailable", "req-" + i));
            lockIds.add(lock(token, deviceId).statusCode(202).body("status", equalTo("PENDING"))
                    .extract().path("lockId"));
            devices.add(deviceId);
        }
        String poisoned = java.util.UUID.randomUUID().toString();
        dynamo.putItem(r -> r.tableName("LocksTable").item(Map.of(
                "pk", AttributeValue.fromS("LOCK#" + poisoned), "sk", AttributeValue.fromS("LOCK"),
                "lockId", AttributeValue.fromS(poisoned), "deviceId", AttributeValue.fromS(newDeviceId()),
                "status", AttributeValue.fromS("PENDING"), "platform", AttributeValue.fromS("TOASTER"),
                "requestedAt", AttributeValue.fromS("2026-01-01T00:00:00Z"),
                "retryQueue", AttributeValue.fromS("PENDING"),
                "nextAttemptAt", AttributeValue.fromS("2026-01-01T00:00:00Z"))));
        try {
            CircuitBreakerMaintenance.get().resetAll(); // Graph is back
            devices.forEach(GraphStubs::remoteLockAccepted);
            clock.setNow(Instant.now().plus(Duration.ofMinutes(2)));

            given().post("/internal/retry-sweep").then().statusCode(200)
                    .body("errors", greaterThanOrEqualTo(1))
                    .body("sent", greaterThanOrEqualTo(9));
            lockIds.forEach(lockId -> status(token, lockId).statusCode(200).body("status", equalTo("SENT")));
        } finally {
            dynamo.deleteItem(r -> r.tableName("LocksTable").key(Map.of(
                    "pk", AttributeValue.fromS("LOCK#" + poisoned), "sk", AttributeValue.fromS("LOCK"))));
        }
    }

    @Test
    void theSweepReportsTheAgeOfTheOldestPendingLock() {
        String deviceId = newDeviceId();
        device(deviceId, "android");
        remoteLockAnswers(deviceId, graphError(503, "ServiceUnavailable", "Service unavailable", "req-age")
                .withHeader("Retry-After", "3600"));
        String lockId = lock(token, deviceId).statusCode(202).body("status", equalTo("PENDING")).extract().path("lockId");

        clock.setNow(Instant.now().plus(Duration.ofMinutes(10)));
        given().post("/internal/retry-sweep").then().statusCode(200)
                .body("oldestPendingAgeSeconds", greaterThanOrEqualTo(600));

        remoteLockAccepted(deviceId);
        clock.setNow(Instant.now().plus(Duration.ofMinutes(61)));
        given().post("/internal/retry-sweep").then().statusCode(200);
        status(token, lockId).statusCode(200).body("status", equalTo("SENT"));
    }
}
