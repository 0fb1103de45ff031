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

import java.time.Instant;

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
}
