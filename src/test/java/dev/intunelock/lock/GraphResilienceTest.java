package dev.intunelock.lock;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.intunelock.lock.LockApi.lock;
import static dev.intunelock.lock.LockApi.status;
import static dev.intunelock.testing.GraphStubs.device;
import static dev.intunelock.testing.GraphStubs.graphError;
import static dev.intunelock.testing.GraphStubs.newDeviceId;
import static dev.intunelock.testing.GraphStubs.remoteLockAccepted;
import static dev.intunelock.testing.GraphStubs.remoteLockAnswers;
import static dev.intunelock.testing.GraphStubs.remoteLockCalls;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/** Graph throttles, fails and times out; locks are never lost and never sent twice by a retry. */
@QuarkusTest
@WithTestResource(LocalStack.class)
class GraphResilienceTest {

    final String token = Tokens.withRoles("soc@contoso.example", "Lock.Devices");

    @Inject
    LockStore store;

    @Inject
    TestClock clock;

    @BeforeEach
    @AfterEach
    void closeBreakersAndRestoreTime() {
        CircuitBreakerMaintenance.get().resetAll();
        clock.reset();
    }

    @Test
    void aPendingLockIsReattemptedByTheNextRequestOnceItsWaitIsOver() {
        String deviceId = newDeviceId();
        device(deviceId, "iPhone");
        remoteLockAnswers(deviceId, graphError(503, "ServiceUnavailable", "Service unavailable", "req-503"));
        String lockId = lock(token, deviceId).statusCode(202).body("status", equalTo("PENDING")).extract().path("lockId");

        lock(token, deviceId).statusCode(409).body("lockId", equalTo(lockId)); // not due yet
        remoteLockAccepted(deviceId);
        clock.setNow(Instant.now().plusSeconds(120));

        lock(token, deviceId).statusCode(202)
                .body("lockId", equalTo(lockId))
                .body("status", equalTo("SENT"))
                .body("attempts", equalTo(2));
        assertEquals(5, remoteLockCalls(deviceId), "4 attempts the first time, 1 now");
        assertTrue(!store.dueForRetry(Instant.now().plusSeconds(3600), 1000).contains(lockId));
    }

    @Test
    void aTimedOutLockThatReachedIntuneAfterAllIsNotSentAgain() {
        String deviceId = newDeviceId();
        device(deviceId, "macMDM");
        remoteLockAnswers(deviceId, aResponse().withStatus(204).withFixedDelay(3000));
        String lockId = lock(token, deviceId).statusCode(202).body("error.code", equalTo("timeout"))
                .extract().path("lockId");

        String pin = dev.intunelock.testing.TestPins.next();
        device(deviceId, "macMDM", GraphStubs.macLockResult("pending", Instant.now(), pin));
        clock.setNow(Instant.now().plusSeconds(120));

        lock(token, deviceId).statusCode(202)
                .body("lockId", equalTo(lockId))
                .body("status", equalTo("SENT"))
                .body("pin.status", equalTo("STORED"))
                .body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString(pin)));
        assertEquals(1, remoteLockCalls(deviceId), "Intune had it: no second lock of the Mac");
    }

    @Test
    void aTimedOutLockWithNoTraceInIntuneIsSentAgain() {
        String deviceId = newDeviceId();
        device(deviceId, "android");
        remoteLockAnswers(deviceId, aResponse().withStatus(204).withFixedDelay(3000));
        String lockId = lock(token, deviceId).statusCode(202).body("error.code", equalTo("timeout"))
                .extract().path("lockId");

        remoteLockAccepted(deviceId);
        clock.setNow(Instant.now().plusSeconds(120));

        lock(token, deviceId).statusCode(202).body("lockId", equalTo(lockId)).body("status", equalTo("SENT"));
        assertEquals(2, remoteLockCalls(deviceId));
    }

    @Test
    void throttlingWithRetryAfterIsWaitedOutThenTheLockIsSent() {
        String deviceId = newDeviceId();
        device(deviceId, "iPhone");
        GraphStubs.remoteLockAnswersOnceThenAccepts(deviceId,
                graphError(429, "TooManyRequests", "Too many requests", "req-429").withHeader("Retry-After", "1"));

        long started = System.nanoTime();
        lock(token, deviceId).statusCode(202).body("status", equalTo("SENT")).body("attempts", equalTo(1));
        long waitedMillis = (System.nanoTime() - started) / 1_000_000;

        assertEquals(2, remoteLockCalls(deviceId));
        assertTrue(waitedMillis >= 1000, "Retry-After: 1 must be honoured, waited only " + waitedMillis + " ms");
    }

    @Test
    void throttlingWithoutRetryAfterBacksOffAndRetries() {
        String deviceId = newDeviceId();
        device(deviceId, "android");
        GraphStubs.remoteLockAnswersOnceThenAccepts(deviceId,
                graphError(429, "TooManyRequests", "Too many requests", "req-429b"));

        lock(token, deviceId).statusCode(202).body("status", equalTo("SENT"));
        assertEquals(2, remoteLockCalls(deviceId));
    }

    @Test
    void graphUnavailableThroughoutLeavesTheLockPendingWithTheErrorAndRetryable() {
        String deviceId = newDeviceId();
        device(deviceId, "iPhone");
        remoteLockAnswers(deviceId, graphError(503, "ServiceUnavailable", "Service unavailable", "req-503"));

        String lockId = lock(token, deviceId).statusCode(202)
                .body("status", equalTo("PENDING"))
                .body("sentAt", equalTo(null))
                .body("error.code", equalTo("ServiceUnavailable"))
                .body("error.requestId", equalTo("req-503"))
                .body("error.httpStatus", equalTo(503))
                .body("error.mayHaveReachedIntune", equalTo(false))
                .extract().path("lockId");

        assertEquals(4, remoteLockCalls(deviceId), "one attempt and three retries");
        status(token, lockId).statusCode(200)
                .body("status", equalTo("PENDING"))
                .body("error.code", equalTo("ServiceUnavailable"));
        assertTrue(store.dueForRetry(Instant.now().plusSeconds(120), 1000).contains(lockId),
                "the pending lock is in the retry sweep's queue");
        // ...and it still holds the device: no second command while it is pending.
        lock(token, deviceId).statusCode(409).body("lockId", equalTo(lockId));
        assertEquals(4, remoteLockCalls(deviceId));
    }

    @Test
    void aSentLockLeavesTheRetryQueue() {
        String deviceId = newDeviceId();
        device(deviceId, "iPhone");
        remoteLockAccepted(deviceId);

        String lockId = lock(token, deviceId).statusCode(202).body("status", equalTo("SENT")).extract().path("lockId");

        assertTrue(!store.dueForRetry(Instant.now().plusSeconds(3600), 1000).contains(lockId));
    }

    @Test
    void graphRefusingTheCommandIsRejectedWithGraphsCodeAndRequestIdAndNotRetried() {
        String deviceId = newDeviceId();
        device(deviceId, "android");
        remoteLockAnswers(deviceId, graphError(403, "Forbidden",
                "Application is not authorized to perform this operation.", "req-403"));

        lock(token, deviceId).statusCode(202)
                .body("status", equalTo("REJECTED"))
                .body("error.code", equalTo("Forbidden"))
                .body("error.requestId", equalTo("req-403"))
                .body("error.httpStatus", equalTo(403));
        assertEquals(1, remoteLockCalls(deviceId));

        // A rejected lock does not hold the device: once the permission is fixed, it can be locked.
        remoteLockAccepted(deviceId);
        lock(token, deviceId).statusCode(202).body("status", equalTo("SENT"));
    }

    @Test
    void aTimedOutLockCommandIsNotResentSinceIntuneMayHaveQueuedIt() {
        String deviceId = newDeviceId();
        device(deviceId, "macMDM");
        remoteLockAnswers(deviceId, aResponse().withStatus(204).withFixedDelay(3000));

        lock(token, deviceId).statusCode(202)
                .body("status", equalTo("PENDING"))
                .body("error.code", equalTo("timeout"));
        assertEquals(1, remoteLockCalls(deviceId));
    }

    @Test
    void aGatewayTimeoutOnTheLockCommandIsNotResentSinceIntuneMayHaveQueuedIt() {
        String deviceId = newDeviceId();
        device(deviceId, "macMDM");
        remoteLockAnswers(deviceId, graphError(504, "GatewayTimeout", "Gateway timeout", "req-504"));

        lock(token, deviceId).statusCode(202)
                .body("status", equalTo("PENDING"))
                .body("error.code", equalTo("GatewayTimeout"))
                .body("error.mayHaveReachedIntune", equalTo(true));
        assertEquals(1, remoteLockCalls(deviceId));
    }

    @Test
    void aBadGatewayPageIsRecordedWithoutBeingResent() {
        String deviceId = newDeviceId();
        device(deviceId, "android");
        remoteLockAnswers(deviceId, aResponse().withStatus(502).withHeader("Content-Type", "text/html")
                .withBody("<html>Bad gateway</html>"));

        lock(token, deviceId).statusCode(202)
                .body("status", equalTo("PENDING"))
                .body("error.code", equalTo("http502"))
                .body("error.httpStatus", equalTo(502));
        assertEquals(1, remoteLockCalls(deviceId));
    }

    @Test
    void readingTheDeviceIsRetriedOnTransientFailures() {
        String deviceId = newDeviceId();
        LocalStack.graph().stubFor(get(urlPathEqualTo(GraphStubs.DEVICES + deviceId))
                .inScenario("flaky-" + deviceId).whenScenarioStateIs(STARTED).willSetStateTo("up")
                .willReturn(graphError(504, "GatewayTimeout", "Gateway timeout", "req-504")));
        device(deviceId, "iPhone");
        LocalStack.graph().stubFor(get(urlPathEqualTo(GraphStubs.DEVICES + deviceId))
                .inScenario("flaky-" + deviceId).whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(GraphStubs.deviceJson(deviceId, "iPhone"))));
        remoteLockAccepted(deviceId);

        lock(token, deviceId).statusCode(202).body("status", equalTo("SENT"));
    }

    @Test
    void theCircuitBreakerOpensAfterRepeatedFailuresAndThenFailsFastWithoutCallingGraph() {
        for (int i = 0; i < 3; i++) {
            String failing = newDeviceId();
            device(failing, "android");
            remoteLockAnswers(failing, graphError(503, "ServiceUnavailable", "Service unavailable", "req-" + i));
            lock(token, failing).statusCode(202).body("status", equalTo("PENDING"));
        }

        String deviceId = newDeviceId();
        device(deviceId, "android");
        remoteLockAccepted(deviceId);
        lock(token, deviceId).statusCode(202)
                .body("status", equalTo("PENDING"))
                .body("error.code", equalTo("circuitOpen"))
                .body("attempts", greaterThanOrEqualTo(1));
        assertEquals(0, remoteLockCalls(deviceId), "an open breaker does not call Graph");
    }
}
