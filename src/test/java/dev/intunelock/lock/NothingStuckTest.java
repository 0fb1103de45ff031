package dev.intunelock.lock;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.intunelock.lock.LockApi.lock;
import static dev.intunelock.lock.LockApi.status;
import static dev.intunelock.testing.GraphStubs.device;
import static dev.intunelock.testing.GraphStubs.graphError;
import static dev.intunelock.testing.GraphStubs.newDeviceId;
import static dev.intunelock.testing.GraphStubs.remoteLockAccepted;
import static dev.intunelock.testing.GraphStubs.remoteLockAnswers;
import static dev.intunelock.testing.GraphStubs.remoteLockCalls;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.intunelock.testing.GraphStubs;
import dev.intunelock.testing.LocalStack;
import dev.intunelock.testing.TestClock;
import dev.intunelock.testing.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;

/** A pending lock does not retry forever: it ends, with a reason someone can act on. */
@QuarkusTest
@WithTestResource(LocalStack.class)
class NothingStuckTest {

    final String token = Tokens.withRoles("soc@contoso.example", "Lock.Devices");

    @Inject
    TestClock clock;

    @BeforeEach
    @AfterEach
    void restore() {
        clock.reset();
        CircuitBreakerMaintenance.get().resetAll();
    }

    @Test
    void aLockStillPendingADayAfterItWasRequestedIsGivenUpAndNeverSentLate() {
        String deviceId = newDeviceId();
        device(deviceId, "android");
        remoteLockAnswers(deviceId, graphError(503, "ServiceUnavailable", "Service unavailable", "req-503"));
        String lockId = lock(token, deviceId).statusCode(202).body("status", equalTo("PENDING")).extract().path("lockId");
        int callsWhilePending = remoteLockCalls(deviceId);

        remoteLockAccepted(deviceId);
        clock.setNow(Instant.now().plus(Duration.ofHours(24)).plusSeconds(1));
        lock(token, deviceId).statusCode(202)
                .body("lockId", equalTo(lockId))
                .body("status", equalTo("FAILED"))
                .body("error.code", equalTo("gaveUp"))
                .body("error.message", containsString("Request a new lock"));
        assertEquals(callsWhilePending, remoteLockCalls(deviceId), "a day late, the lock is not sent");

        // It let go of the device: a new request locks it now.
        lock(token, deviceId).statusCode(202).body("lockId", not(equalTo(lockId))).body("status", equalTo("SENT"));
        status(token, lockId).statusCode(200).body("status", equalTo("FAILED"));
    }

    @Test
    void aPendingLockWhoseDeviceReadIsRefusedForGoodEndsRejectedWithGraphsReason() {
        String deviceId = newDeviceId();
        device(deviceId, "iPhone");
        remoteLockAnswers(deviceId, graphError(503, "ServiceUnavailable", "Service unavailable", "req-503"));
        String lockId = lock(token, deviceId).statusCode(202).body("status", equalTo("PENDING")).extract().path("lockId");

        LocalStack.graph().stubFor(get(urlPathEqualTo(GraphStubs.DEVICES + deviceId))
                .willReturn(graphError(403, "Forbidden", "Insufficient privileges", "req-403")));
        clock.setNow(Instant.now().plus(Duration.ofMinutes(2)));
        lock(token, deviceId).statusCode(202)
                .body("lockId", equalTo(lockId))
                .body("status", equalTo("REJECTED"))
                .body("error.code", equalTo("Forbidden"))
                .body("error.requestId", equalTo("req-403"));
    }

    @Test
    void aPendingLockWhoseDeviceLeftIntuneEndsRejected() {
        String deviceId = newDeviceId();
        device(deviceId, "iPhone");
        remoteLockAnswers(deviceId, graphError(503, "ServiceUnavailable", "Service unavailable", "req-503"));
        String lockId = lock(token, deviceId).statusCode(202).body("status", equalTo("PENDING")).extract().path("lockId");

        GraphStubs.noSuchDevice(deviceId);
        clock.setNow(Instant.now().plus(Duration.ofMinutes(2)));
        lock(token, deviceId).statusCode(404);
        status(token, lockId).statusCode(200).body("status", equalTo("REJECTED"))
                .body("error.code", equalTo("deviceNotFound"));
    }
}
