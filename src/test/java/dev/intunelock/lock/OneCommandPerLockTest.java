package dev.intunelock.lock;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.intunelock.lock.LockApi.lock;
import static dev.intunelock.lock.LockApi.status;
import static dev.intunelock.testing.GraphStubs.device;
import static dev.intunelock.testing.GraphStubs.graphError;
import static dev.intunelock.testing.GraphStubs.macLockResult;
import static dev.intunelock.testing.GraphStubs.newDeviceId;
import static dev.intunelock.testing.GraphStubs.remoteLockAccepted;
import static dev.intunelock.testing.GraphStubs.remoteLockAnswers;
import static dev.intunelock.testing.GraphStubs.remoteLockCalls;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.intunelock.testing.EmfLines;
import dev.intunelock.testing.Awaiting;
import dev.intunelock.testing.GraphStubs;
import dev.intunelock.testing.LocalStack;
import dev.intunelock.testing.TestClock;
import dev.intunelock.testing.TestPins;
import dev.intunelock.testing.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;

/**
 * A Mac is never sent a second lock by accident: an attempt that may have reached Intune is written down before
 * remoteLock is called, and no later attempt sends again before Intune's action results say what happened.
 */
@QuarkusTest
@WithTestResource(LocalStack.class)
class OneCommandPerLockTest {

    final String token = Tokens.withRoles("soc@contoso.example", "Lock.Devices");

    @Inject
    TestClock clock;

    @BeforeEach
    @AfterEach
    void restore() {
        clock.reset();
        CircuitBreakerMaintenance.get().resetAll();
        LocalStack.dynamoLink().restore();
    }

    @Test
    void graphAcceptingALockWhoseRecordThenFailsAnswersSentAndTheLockIsNeverSentAgain() throws Exception {
        String mac = newDeviceId();
        device(mac, "macMDM");
        remoteLockAnswers(mac, aResponse().withStatus(204).withFixedDelay(600));
        Thread storeFailsWhileGraphAnswers = new Thread(() -> {
            Awaiting.until(() -> remoteLockCalls(mac) == 1);
            LocalStack.dynamoLink().cut();
        });
        storeFailsWhileGraphAnswers.start();

        ValidatableResponse answer = lock(token, mac);
        storeFailsWhileGraphAnswers.join();
        LocalStack.dynamoLink().restore();

        // The command went out: the answer says so, not "nothing was sent".
        String lockId = answer.statusCode(202).body("status", equalTo("SENT")).extract().path("lockId");
        status(token, lockId).statusCode(200).body("status", equalTo("PENDING"));

        String pin = TestPins.next();
        device(mac, "macMDM", macLockResult("pending", Instant.now(), pin));
        clock.setNow(Instant.now().plus(Duration.ofMinutes(2)));
        lock(token, mac).statusCode(202)
                .body("lockId", equalTo(lockId))
                .body("status", equalTo("SENT"))
                .body("pin.status", equalTo("STORED"));
        assertEquals(1, remoteLockCalls(mac), "Intune had the command: the Mac was not sent a second one");
    }

    @Test
    void aCheckReadThatFailsWith503Or429OrAnOpenBreakerOrFindsNothingNeverLeadsToASecondLockOfTheMac() {
        String mac = newDeviceId();
        String lockId = lockWhoseAnswerIsLost(mac);

        deviceReadFails(mac, graphError(503, "ServiceUnavailable", "Service unavailable", "req-503"));
        clock.setNow(Instant.now().plus(Duration.ofMinutes(2)));
        lock(token, mac).statusCode(202).body("lockId", equalTo(lockId)).body("status", equalTo("PENDING"));

        deviceReadFails(mac, graphError(429, "TooManyRequests", "Too many requests", "req-429")
                .withHeader("Retry-After", "1"));
        clock.setNow(Instant.now().plus(Duration.ofMinutes(4)));
        lock(token, mac).statusCode(202).body("lockId", equalTo(lockId)).body("status", equalTo("PENDING"));

        // More failed reads open the read breaker: the check read fails fast, and still nothing is sent.
        clock.setNow(Instant.now().plus(Duration.ofMinutes(5)));
        lock(token, mac).statusCode(202).body("lockId", equalTo(lockId)).body("status", equalTo("PENDING"));
        device(mac, "macMDM"); // Intune lists nothing, but the breaker is open
        clock.setNow(Instant.now().plus(Duration.ofMinutes(6)));
        lock(token, mac).statusCode(202).body("lockId", equalTo(lockId)).body("status", equalTo("PENDING"))
                .body("error.code", equalTo("circuitOpen"));

        CircuitBreakerMaintenance.get().resetAll(); // Graph answers again: Intune lists nothing yet
        clock.setNow(Instant.now().plus(Duration.ofMinutes(7)));
        lock(token, mac).statusCode(202).body("lockId", equalTo(lockId)).body("status", equalTo("PENDING"));
        assertEquals(1, remoteLockCalls(mac), "never sent blind while its arrival is unknown");

        device(mac, "macMDM", macLockResult("pending", Instant.now(), TestPins.next()));
        clock.setNow(Instant.now().plus(Duration.ofMinutes(8)));
        lock(token, mac).statusCode(202).body("lockId", equalTo(lockId)).body("status", equalTo("SENT"))
                .body("pin.status", equalTo("STORED"));
        assertEquals(1, remoteLockCalls(mac));
    }

    @Test
    void aMacCommandWhoseArrivalStaysUnknownEndsUnconfirmedAfterAnHourAndTheMacStaysGuarded() {
        String mac = newDeviceId();
        String lockId = lockWhoseAnswerIsLost(mac);

        clock.setNow(Instant.now().plus(Duration.ofMinutes(61)));
        List<String> metrics = EmfLines.during(() -> lock(token, mac).statusCode(202)
                .body("lockId", equalTo(lockId))
                .body("status", equalTo("UNCONFIRMED"))
                .body("error.code", equalTo("unconfirmed"))
                .body("error.message", containsString("Intune admin center"))
                .body("error.requestId", equalTo("req-504")));
        assertEquals(1, EmfLines.reporting(metrics, "LocksUnconfirmed").size(), "operators are alarmed: " + metrics);

        status(token, lockId).statusCode(200).body("status", equalTo("UNCONFIRMED"))
                .body("pin.status", equalTo("AWAITING"));
        lock(token, mac).statusCode(409)
                .body("type", containsString("mac-pin-outstanding"))
                .body("lockId", equalTo(lockId));
        assertEquals(1, remoteLockCalls(mac), "an unconfirmed Mac lock is never sent again");
    }

    @Test
    void aRefusedDeviceReadDoesNotEndAnUnconfirmedMacLockSoTheMacStaysGuarded() {
        String mac = newDeviceId();
        String lockId = lockWhoseAnswerIsLost(mac);

        deviceReadFails(mac, graphError(403, "Forbidden", "Insufficient privileges", "req-403"));
        clock.setNow(Instant.now().plus(Duration.ofMinutes(2)));
        lock(token, mac).statusCode(202).body("lockId", equalTo(lockId)).body("status", equalTo("PENDING"))
                .body("error.code", equalTo("Forbidden"));

        clock.setNow(Instant.now().plus(Duration.ofMinutes(61)));
        lock(token, mac).statusCode(202).body("lockId", equalTo(lockId)).body("status", equalTo("UNCONFIRMED"));
        lock(token, mac).statusCode(409).body("type", containsString("mac-pin-outstanding"));
        assertEquals(1, remoteLockCalls(mac));
    }

    @Test
    void anUnconfirmedMacLockThatIntuneListsLaterBecomesSentWithItsPin() {
        String mac = newDeviceId();
        Instant sentAround = Instant.now();
        String lockId = lockWhoseAnswerIsLost(mac);
        clock.setNow(Instant.now().plus(Duration.ofMinutes(61)));
        lock(token, mac).statusCode(202).body("status", equalTo("UNCONFIRMED"));

        device(mac, "macMDM", macLockResult("done", sentAround, TestPins.next()));
        status(token, lockId).statusCode(200).body("status", equalTo("DONE")).body("pin.status", equalTo("STORED"));
        assertEquals(1, remoteLockCalls(mac));
    }

    @Test
    void aPreviousLocksResultStartedTenSecondsBeforeThisSendIsNotTakenForIt() {
        String mac = newDeviceId();
        String previousPin = TestPins.next();
        device(mac, "macMDM", macLockResult("done", Instant.now().minusSeconds(10), previousPin));
        remoteLockAccepted(mac);

        String lockId = lock(token, mac).statusCode(202)
                .body("status", equalTo("SENT"))
                .body("pin.status", equalTo("AWAITING"))
                .extract().path("lockId");
        status(token, lockId).statusCode(200).body("status", equalTo("SENT")).body("pin.status", equalTo("AWAITING"));
        given().header("Authorization", "Bearer " + Tokens.withRoles("reader@contoso.example", "Pins.Read"))
                .get("/v1/devices/" + mac + "/pin").then()
                .statusCode(404).body("pinStatus", equalTo("AWAITING")).body(not(containsString(previousPin)));
    }

    @Test
    void aSentLockIntuneNeverSettlesHoldsAnIphoneForAnHourAtMost() {
        String iphone = newDeviceId();
        device(iphone, "iPhone", GraphStubs.remoteLockResult("pending", Instant.now().minusSeconds(3600)));
        remoteLockAccepted(iphone);
        String first = lock(token, iphone).statusCode(202).body("status", equalTo("SENT")).extract().path("lockId");
        lock(token, iphone).statusCode(409).body("lockId", equalTo(first));

        clock.setNow(Instant.now().plus(Duration.ofMinutes(61)));
        lock(token, iphone).statusCode(202).body("lockId", not(equalTo(first))).body("status", equalTo("SENT"));
        assertEquals(2, remoteLockCalls(iphone));
    }

    @Test
    void aSentMacLockIntuneNeverSettlesKeepsTheMacGuardedPastThatHour() {
        String mac = newDeviceId();
        GraphStubs.listsAfterLock(mac, "macMDM", macLockResult("pending", Instant.now(), TestPins.next()));
        String first = lock(token, mac).statusCode(202).body("pin.status", equalTo("STORED")).extract().path("lockId");

        clock.setNow(Instant.now().plus(Duration.ofMinutes(61)));
        lock(token, mac).statusCode(409).body("type", containsString("mac-pin-outstanding"))
                .body("lockId", equalTo(first)).body("expiresAt", notNullValue());
        assertEquals(1, remoteLockCalls(mac));
    }

    /**
     * Locks a Mac whose remoteLock Graph answers 504 (the command may have arrived); from then on Graph would take a
     * command, if one were sent. Returns the lock's id.
     */
    private String lockWhoseAnswerIsLost(String mac) {
        device(mac, "macMDM");
        remoteLockAnswers(mac, graphError(504, "GatewayTimeout", "Gateway timeout", "req-504"));
        String lockId = lock(token, mac).statusCode(202).body("status", equalTo("PENDING"))
                .body("error.code", equalTo("GatewayTimeout")).extract().path("lockId");
        remoteLockAccepted(mac);
        return lockId;
    }

    private static void deviceReadFails(String id, com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder answer) {
        LocalStack.graph().stubFor(get(urlPathEqualTo(GraphStubs.DEVICES + id)).willReturn(answer));
    }
}
