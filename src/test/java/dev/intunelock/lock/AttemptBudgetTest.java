package dev.intunelock.lock;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.intunelock.lock.LockApi.lock;
import static dev.intunelock.testing.GraphStubs.graphError;
import static dev.intunelock.testing.GraphStubs.newDeviceId;
import static dev.intunelock.testing.GraphStubs.remoteLockAccepted;
import static dev.intunelock.testing.GraphStubs.remoteLockAnswers;
import static dev.intunelock.testing.GraphStubs.remoteLockCalls;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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
 * No attempt outlives the function's timeout: each one has a deadline for its Graph work, stops early when the
 * deadline comes, and leaves the lock in a state the next attempt picks up.
 */
@QuarkusTest
@WithTestResource(LocalStack.class)
class AttemptBudgetTest {

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
    void aThrottleAskingForLongerThanTheAttemptHasLeftIsNotWaitedOutInTheRequest() {
        String deviceId = newDeviceId();
        GraphStubs.device(deviceId, "android");
        remoteLockAnswers(deviceId, graphError(429, "TooManyRequests", "Too many requests", "req-429")
                .withHeader("Retry-After", "30"));

        long started = System.nanoTime();
        lock(token, deviceId).statusCode(202)
                .body("status", equalTo("PENDING"))
                .body("error.code", equalTo("TooManyRequests"));
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(tookMillis < 3000, "answered after " + tookMillis + " ms instead of waiting 30 s");
        assertEquals(1, remoteLockCalls(deviceId));

        remoteLockAccepted(deviceId);
        clock.setNow(Instant.now().plusSeconds(31));
        lock(token, deviceId).statusCode(202).body("status", equalTo("SENT"));
        assertEquals(2, remoteLockCalls(deviceId));
    }

    @Test
    void anAttemptWhoseTimeRunsOutSendsNothingAndTheNextAttemptSendsIt() throws Exception {
        String deviceId = newDeviceId();
        LocalStack.graph().stubFor(get(urlPathEqualTo(GraphStubs.DEVICES + deviceId))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(GraphStubs.deviceJson(deviceId, "iPhone")).withFixedDelay(400)));
        remoteLockAccepted(deviceId);
        Thread timePassesWhileGraphIsRead = new Thread(() -> {
            Awaiting.until(() -> LocalStack.graph()
                    .countRequestsMatching(getRequestedFor(urlPathEqualTo(GraphStubs.DEVICES + deviceId)).build())
                    .getCount() == 1);
            clock.setNow(Instant.now().plusSeconds(25));
        });
        timePassesWhileGraphIsRead.start();

        ValidatableResponse cutOff = lock(token, deviceId);
        timePassesWhileGraphIsRead.join();
        String lockId = cutOff.statusCode(202)
                .body("status", equalTo("PENDING"))
                .body("error.code", equalTo("budgetExhausted"))
                .extract().path("lockId");
        assertEquals(0, remoteLockCalls(deviceId), "no command started after the attempt's time was up");

        clock.setNow(Instant.now().plus(Duration.ofMinutes(2)));
        lock(token, deviceId).statusCode(202).body("lockId", equalTo(lockId)).body("status", equalTo("SENT"));
        assertEquals(1, remoteLockCalls(deviceId));
    }
}
