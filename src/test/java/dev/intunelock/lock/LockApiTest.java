package dev.intunelock.lock;

import static dev.intunelock.lock.LockApi.as;
import static dev.intunelock.lock.LockApi.lock;
import static dev.intunelock.lock.LockApi.status;
import static dev.intunelock.testing.GraphStubs.device;
import static dev.intunelock.testing.GraphStubs.newDeviceId;
import static dev.intunelock.testing.GraphStubs.remoteLockAccepted;
import static dev.intunelock.testing.GraphStubs.remoteLockCalls;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.intunelock.testing.GraphStubs;
import dev.intunelock.testing.LocalStack;
import dev.intunelock.testing.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;

@QuarkusTest
@WithTestResource(LocalStack.class)
class LockApiTest {

    static final String HELPDESK = "helpdesk@contoso.example";
    final String token = Tokens.withRoles(HELPDESK, "Lock.Devices");

    @BeforeEach
    void closeBreakers() {
        CircuitBreakerMaintenance.get().resetAll();
    }

    @Test
    void aLockIsRecordedSentToIntuneAndReported() {
        String deviceId = newDeviceId();
        device(deviceId, "iPhone");
        remoteLockAccepted(deviceId);

        String lockId = lock(token, deviceId)
                .statusCode(202)
                .contentType(ContentType.JSON)
                .body("deviceId", equalTo(deviceId))
                .body("deviceName", equalTo("Test iPhone"))
                .body("platform", equalTo("IOS"))
                .body("status", equalTo("SENT"))
                .body("source", equalTo("api"))
                .body("requestedBy", equalTo(HELPDESK))
                .body("reason", equalTo("Reported stolen"))
                .body("requestedAt", notNullValue())
                .body("sentAt", notNullValue())
                .body("error", nullValue())
                .extract().path("lockId");

        assertEquals(1, remoteLockCalls(deviceId));
        status(token, lockId).statusCode(200)
                .body("lockId", equalTo(lockId))
                .body("status", equalTo("SENT"))
                .body("requestedBy", equalTo(HELPDESK));
    }

    @Test
    void theLocationHeaderNamesTheLock() {
        String deviceId = newDeviceId();
        device(deviceId, "android");
        remoteLockAccepted(deviceId);

        var response = lock(token, deviceId).statusCode(202).extract();
        assertEquals("/v1/locks/" + response.path("lockId"), response.header("Location"));
    }

    @Test
    void theStatusBecomesDoneWhenIntuneReportsTheActionDone() {
        String deviceId = newDeviceId();
        device(deviceId, "android");
        remoteLockAccepted(deviceId);
        String lockId = lock(token, deviceId).statusCode(202).extract().path("lockId");

        device(deviceId, "android", GraphStubs.remoteLockResult("done", Instant.now()));

        status(token, lockId).statusCode(200).body("status", equalTo("DONE"));
    }

    @Test
    void theStatusBecomesFailedWhenIntuneReportsTheActionFailed() {
        String deviceId = newDeviceId();
        device(deviceId, "iPad");
        remoteLockAccepted(deviceId);
        String lockId = lock(token, deviceId).statusCode(202).extract().path("lockId");

        device(deviceId, "iPad", GraphStubs.remoteLockResult("failed", Instant.now()));

        status(token, lockId).statusCode(200)
                .body("status", equalTo("FAILED"))
                .body("error.code", equalTo("actionFailed"));
    }

    @Test
    void anOlderRemoteLockResultIsNotTakenForThisLocksOutcome() {
        String deviceId = newDeviceId();
        device(deviceId, "android");
        remoteLockAccepted(deviceId);
        String lockId = lock(token, deviceId).statusCode(202).extract().path("lockId");

        device(deviceId, "android", GraphStubs.remoteLockResult("done", Instant.now().minusSeconds(86_400)),
                GraphStubs.actionResult("rebootNow", "done", Instant.now()));

        status(token, lockId).statusCode(200).body("status", equalTo("SENT"));
    }

    @Test
    void aSettledLockLetsTheDeviceBeLockedAgain() {
        String deviceId = newDeviceId();
        device(deviceId, "android");
        remoteLockAccepted(deviceId);
        lock(token, deviceId).statusCode(202);
        device(deviceId, "android", GraphStubs.remoteLockResult("done", Instant.now()));

        lock(token, deviceId).statusCode(202).body("status", equalTo("SENT"));
        assertEquals(2, remoteLockCalls(deviceId));
    }

    @Test
    void aSecondLockWhileTheFirstIsInFlightIs409NamingIt() {
        String deviceId = newDeviceId();
        device(deviceId, "iPhone");
        remoteLockAccepted(deviceId);
        String first = lock(token, deviceId).statusCode(202).extract().path("lockId");

        lock(token, deviceId).statusCode(409)
                .contentType("application/problem+json")
                .body("status", equalTo(409))
                .body("lockId", equalTo(first))
                .body("deviceId", equalTo(deviceId));
        assertEquals(1, remoteLockCalls(deviceId));
    }

    @Test
    void theSameIdempotencyKeyGivesTheSameLockWithoutASecondCommand() {
        String deviceId = newDeviceId();
        device(deviceId, "android");
        remoteLockAccepted(deviceId);
        String body = """
                {"deviceId":"%s","reason":"Ticket 4711"}""".formatted(deviceId);

        String first = as(token).header("Idempotency-Key", "ticket-4711").body(body).post("/v1/locks")
                .then().statusCode(202).extract().path("lockId");
        as(token).header("Idempotency-Key", "ticket-4711").body(body).post("/v1/locks")
                .then().statusCode(202)
                .header("Idempotent-Replayed", "true")
                .header("Location", "/v1/locks/" + first)
                .body("lockId", equalTo(first))
                .body("status", equalTo("SENT"));

        assertEquals(1, remoteLockCalls(deviceId));
    }

    @Test
    void anIdempotencyKeyIsTheCallersOwn() {
        String deviceId = newDeviceId();
        device(deviceId, "android");
        remoteLockAccepted(deviceId);
        String body = """
                {"deviceId":"%s","reason":"Ticket 1"}""".formatted(deviceId);
        String mine = as(token).header("Idempotency-Key", "k-1").body(body).post("/v1/locks")
                .then().statusCode(202).extract().path("lockId");

        String otherCaller = Tokens.withRoles("someone.else@contoso.example", "Lock.Devices");
        as(otherCaller).header("Idempotency-Key", "k-1").body(body).post("/v1/locks")
                .then().statusCode(409).body("lockId", equalTo(mine));
    }

    @Test
    void reusingAnIdempotencyKeyForAnotherDeviceIsRefused() {
        String deviceId = newDeviceId();
        device(deviceId, "android");
        remoteLockAccepted(deviceId);
        String first = as(token).header("Idempotency-Key", "reuse-me")
                .body("{\"deviceId\":\"" + deviceId + "\",\"reason\":\"r\"}").post("/v1/locks")
                .then().statusCode(202).extract().path("lockId");

        String other = newDeviceId();
        device(other, "android");
        remoteLockAccepted(other);
        as(token).header("Idempotency-Key", "reuse-me")
                .body("{\"deviceId\":\"" + other + "\",\"reason\":\"r\"}").post("/v1/locks")
                .then().statusCode(422)
                .contentType("application/problem+json")
                .body("lockId", equalTo(first));
        assertEquals(0, remoteLockCalls(other));
    }

    @Test
    void aDeviceUnknownToIntuneIs404AndNothingIsSent() {
        String deviceId = newDeviceId();
        GraphStubs.noSuchDevice(deviceId);

        String lockId = lock(token, deviceId).statusCode(404)
                .contentType("application/problem+json")
                .body("title", equalTo("Device not found in Intune"))
                .body("deviceId", equalTo(deviceId))
                .extract().path("lockId");

        assertEquals(0, remoteLockCalls(deviceId));
        status(token, lockId).statusCode(200)
                .body("status", equalTo("REJECTED"))
                .body("error.code", equalTo("deviceNotFound"));
    }

    @Test
    void anUnknownLockIs404() {
        status(token, java.util.UUID.randomUUID().toString()).statusCode(404)
                .contentType("application/problem+json")
                .body("title", equalTo("Lock not found"));
        status(token, "not-a-lock-id").statusCode(404).contentType("application/problem+json");
    }

    @Test
    void aUnknownRouteIsAProblemToo() {
        as(token).get("/v1/nothing-here").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void problemsNeverCarryAStackTrace() {
        lock(token, "not-a-guid").statusCode(400)
                .body("violations", hasItem("deviceId must be an Intune managed device id (a GUID)."))
                .body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("at dev.intunelock")));
    }

    @Test
    void theRequestWithoutTokenIsNotEvenRead() {
        given().contentType(ContentType.JSON).body("{").post("/v1/locks").then().statusCode(401);
    }
}
