package dev.intunelock.pin;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.intunelock.pin.MacPinApi.confirmUnlocked;
import static dev.intunelock.pin.MacPinApi.readPin;
import static dev.intunelock.testing.GraphStubs.device;
import static dev.intunelock.testing.GraphStubs.macLockResult;
import static dev.intunelock.testing.GraphStubs.newDeviceId;
import static dev.intunelock.testing.GraphStubs.remoteLockAccepted;
import static dev.intunelock.testing.GraphStubs.remoteLockCalls;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.intunelock.audit.AuditEvent;
import dev.intunelock.audit.AuditTrail;
import dev.intunelock.testing.Concurrently;
import dev.intunelock.testing.GraphStubs;
import dev.intunelock.testing.LocalStack;
import dev.intunelock.testing.TestClock;
import dev.intunelock.testing.TestPins;
import dev.intunelock.testing.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Mac recovery PINs: captured after the lock, held exactly 30 days, served only to Pins.Read, guarded. */
@QuarkusTest
@WithTestResource(LocalStack.class)
class MacPinTest {

    static final String HELPDESK = "helpdesk@contoso.example";
    final String locker = Tokens.withRoles(HELPDESK, "Lock.Devices");
    final String pinReader = Tokens.withRoles("pin.reader@contoso.example", "Pins.Read");

    @Inject
    TestClock clock;

    @Inject
    AuditTrail audit;

    @Inject
    DynamoDbClient dynamo;

    @AfterEach
    void realTime() {
        clock.reset();
    }

    @Test
    void aMacsPinIsCapturedAndServedExactlyWithItsLeadingZeros() {
        String mac = newDeviceId();
        String pin = TestPins.remember("004217");
        GraphStubs.listsAfterLock(mac, "macMDM", macLockResult("pending", Instant.now(), pin));

        String lockId = lockMac(mac)
                .body("pin.status", equalTo("STORED"))
                .body("pin.expiresAt", notNullValue())
                .body(not(containsString(pin)))
                .extract().path("lockId");

        readPin(pinReader, mac).statusCode(200)
                .header("Cache-Control", equalTo("no-store"))
                .body("deviceId", equalTo(mac))
                .body("lockId", equalTo(lockId))
                .body("pin", equalTo("004217"))
                .body("lockedAt", notNullValue())
                .body("expiresAt", notNullValue());
    }

    @Test
    void anOlderRemoteLockResultWithAnotherPinIsNeverTaken() {
        String mac = newDeviceId();
        String oldPin = TestPins.next();
        GraphStubs.listsAfterLock(mac, "macMDM", macLockResult("done", Instant.now().minusSeconds(10 * 86_400), oldPin));

        lockMac(mac).body("pin.status", equalTo("AWAITING"));
        readPin(pinReader, mac).statusCode(404).body("pinStatus", equalTo("AWAITING")).body(not(containsString(oldPin)));

        String newPin = TestPins.next();
        device(mac, "macMDM", macLockResult("done", Instant.now().minusSeconds(10 * 86_400), oldPin),
                macLockResult("pending", Instant.now(), newPin));
        readPin(pinReader, mac).statusCode(200).body("pin", equalTo(newPin));
    }

    @Test
    void aPinReportedOnlyAtTheThirdPollIsStillCapturedWithinTheRequest() {
        String mac = newDeviceId();
        String pin = TestPins.next();
        String withoutPin = GraphStubs.deviceJson(mac, "macMDM", macLockResult("pending", Instant.now(), null));
        String withPin = GraphStubs.deviceJson(mac, "macMDM", macLockResult("pending", Instant.now(), pin));
        // Read 1 is the platform gate's; reads 2 and 3 are polls without the PIN; read 4 (the third poll) has it.
        String[] bodies = { withoutPin, withoutPin, withoutPin, withPin };
        for (int read = 0; read < bodies.length; read++) {
            LocalStack.graph().stubFor(get(urlPathEqualTo(GraphStubs.DEVICES + mac))
                    .inScenario("polls-" + mac).whenScenarioStateIs(read == 0 ? STARTED : "read-" + read)
                    .willSetStateTo("read-" + (read + 1))
                    .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                            .withBody(bodies[read])));
        }
        remoteLockAccepted(mac);

        lockMac(mac).body("pin.status", equalTo("STORED"));
        readPin(pinReader, mac).statusCode(200).body("pin", equalTo(pin));
    }

    @Test
    void aPinNotReportedInTimeIsAwaitedThenCapturedOnALaterStatusRead() {
        String mac = newDeviceId();
        GraphStubs.listsAfterLock(mac, "macMDM", macLockResult("pending", Instant.now(), null));
        String lockId = lockMac(mac).body("pin.status", equalTo("AWAITING")).extract().path("lockId");

        String pin = TestPins.next();
        device(mac, "macMDM", macLockResult("pending", Instant.now(), pin));

        given().header("Authorization", "Bearer " + locker).get("/v1/locks/" + lockId).then().statusCode(200)
                .body("pin.status", equalTo("STORED"))
                .body(not(containsString(pin)));
        readPin(pinReader, mac).statusCode(200).body("pin", equalTo(pin));
    }

    @Test
    void onceCapturedThePinStaysServedAfterIntuneHidesIt() {
        String mac = newDeviceId();
        String pin = TestPins.next();
        GraphStubs.listsAfterLock(mac, "macMDM", macLockResult("pending", Instant.now(), pin));
        lockMac(mac).body("pin.status", equalTo("STORED"));

        // Another device action was sent: Intune no longer shows the PIN.
        device(mac, "macMDM", GraphStubs.actionResult("rebootNow", "pending", Instant.now()),
                macLockResult("done", Instant.now(), null));

        readPin(pinReader, mac).statusCode(200).body("pin", equalTo(pin));
    }

    @Test
    void thePinIsServedUntilOneSecondBeforeExpiryAndRefusedFromExpiryWithTheItemStillThere() {
        String mac = newDeviceId();
        String pin = TestPins.next();
        GraphStubs.listsAfterLock(mac, "macMDM", macLockResult("pending", Instant.now(), pin));
        lockMac(mac);
        Instant expiresAt = Instant.parse(readPin(pinReader, mac).statusCode(200).extract().path("expiresAt"));

        clock.setNow(expiresAt.minusMillis(1500));
        readPin(pinReader, mac).statusCode(200).body("pin", equalTo(pin));

        clock.setNow(expiresAt);
        readPin(pinReader, mac).statusCode(404)
                .contentType("application/problem+json")
                .body("pinStatus", equalTo("EXPIRED"))
                .body("detail", containsString("30 days"))
                .body(not(containsString(pin)));
        assertEquals(1, pinItems(mac).size(), "dynalite never deletes expired items: the read decided");
    }

    @Test
    void thePinWindowReadsExactlyThirtyDaysInEveryAnswer() {
        String mac = newDeviceId();
        GraphStubs.listsAfterLock(mac, "macMDM", macLockResult("pending", Instant.now(), TestPins.next()));
        ValidatableResponse locked = lockMac(mac);

        Instant sentAt = Instant.parse(locked.extract().path("sentAt"));
        Instant expiresAt = Instant.parse(locked.extract().path("pin.expiresAt"));
        assertEquals(2_592_000, java.time.Duration.between(sentAt, expiresAt).toMillis() / 1000.0);

        ValidatableResponse read = readPin(pinReader, mac).statusCode(200);
        assertEquals(2_592_000, java.time.Duration.between(Instant.parse(read.extract().path("lockedAt")),
                Instant.parse(read.extract().path("expiresAt"))).toMillis() / 1000.0);
    }

    @Test
    void theStoredTtlIsTheSendTimePlus2592000SecondsAndTemplateYamlNamesThatAttribute() throws Exception {
        String mac = newDeviceId();
        GraphStubs.listsAfterLock(mac, "macMDM", macLockResult("pending", Instant.now(), TestPins.next()));
        Instant sentAt = Instant.parse(lockMac(mac).extract().path("sentAt"));

        Map<String, AttributeValue> item = pinItems(mac).get(0);
        assertEquals(sentAt.getEpochSecond() + 2_592_000, Long.parseLong(item.get("ttlEpochSeconds").n()));

        String template = Files.readString(Path.of("template.yaml"));
        Matcher ttl = Pattern.compile("TimeToLiveSpecification:\\s+AttributeName: (\\S+)\\s+Enabled: true")
                .matcher(template);
        assertTrue(ttl.find(), "template.yaml enables TTL");
        assertEquals("ttlEpochSeconds", ttl.group(1));
    }

    @Test
    void theReLockGuardRefusesASecondLockOfTheMacWithNoGraphWrite() {
        String mac = newDeviceId();
        GraphStubs.listsAfterLock(mac, "macMDM", macLockResult("pending", Instant.now(), TestPins.next()));
        var first = lockMac(mac).extract();
        device(mac, "macMDM", macLockResult("done", Instant.now(), TestPins.next()));

        LockApiCalls.lock(locker, mac, "Second alert").statusCode(409)
                .contentType("application/problem+json")
                .body("type", containsString("mac-pin-outstanding"))
                .body("lockId", equalTo(first.path("lockId")))
                .body("lockedAt", equalTo(first.path("sentAt")))
                .body("expiresAt", equalTo(first.path("pin.expiresAt")))
                .body("detail", containsString("/pin/unlocked"));
        assertEquals(1, remoteLockCalls(mac));
    }

    @Test
    void twentySimultaneousLocksOfOneMacSendOneRemoteLockAndKeepOnePin() throws Exception {
        String mac = newDeviceId();
        device(mac, "macMDM", macLockResult("pending", Instant.now(), TestPins.next()));
        LocalStack.graph().stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(
                com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo(
                        GraphStubs.LOCK_COMMANDS + mac + "/remoteLock"))
                .willReturn(aResponse().withStatus(204).withFixedDelay(200)));

        List<Integer> statuses = Concurrently.run(20,
                () -> LockApiCalls.lock(locker, mac, "Alert storm").extract().statusCode());

        assertEquals(1, statuses.stream().filter(s -> s == 202).count(), statuses.toString());
        assertEquals(19, statuses.stream().filter(s -> s == 409).count(), statuses.toString());
        assertEquals(1, remoteLockCalls(mac));
        assertEquals(1, pinItems(mac).size());
    }

    @Test
    void confirmingTheUnlockLiftsTheGuardButKeepsThePinForItsWindow() {
        String mac = newDeviceId();
        String pin = TestPins.next();
        GraphStubs.listsAfterLock(mac, "macMDM", macLockResult("pending", Instant.now(), pin));
        lockMac(mac);

        confirmUnlocked(locker, mac).statusCode(204);

        readPin(pinReader, mac).statusCode(200).body("pin", equalTo(pin));
        device(mac, "macMDM", macLockResult("pending", Instant.now(), TestPins.next()));
        LockApiCalls.lock(locker, mac, "Lost again").statusCode(202).body("status", equalTo("SENT"));
        assertEquals(2, remoteLockCalls(mac));
        assertTrue(audit.forDevice(mac).stream().anyMatch(e -> e.action().equals(AuditEvent.PIN_UNLOCK_CONFIRMED)
                && e.actor().equals(HELPDESK)));
    }

    @Test
    void confirmingTheUnlockNeedsTheLockRole() {
        confirmUnlocked(pinReader, newDeviceId()).statusCode(403);
    }

    @Test
    void forcingARelockNeedsLocksAdminAndSaysThePreviousPinBecomesUseless() {
        String mac = newDeviceId();
        GraphStubs.listsAfterLock(mac, "macMDM", macLockResult("pending", Instant.now(), TestPins.next()));
        String first = lockMac(mac).extract().path("lockId");
        String forcedBody = """
                {"deviceId":"%s","reason":"Compromised again","force":true}""".formatted(mac);

        given().header("Authorization", "Bearer " + locker).contentType(ContentType.JSON).body(forcedBody)
                .post("/v1/locks").then().statusCode(403).contentType("application/problem+json");
        assertEquals(1, remoteLockCalls(mac));

        String admin = Tokens.withRoles("secops.lead@contoso.example", "Lock.Devices", "Locks.Admin");
        device(mac, "macMDM", macLockResult("pending", Instant.now(), TestPins.next()));
        String second = given().header("Authorization", "Bearer " + admin).contentType(ContentType.JSON)
                .body(forcedBody).post("/v1/locks").then().statusCode(202)
                .body("status", equalTo("SENT"))
                .body("supersedes.lockId", equalTo(first))
                .body("supersedes.warning", containsString("useless"))
                .extract().path("lockId");

        assertEquals(2, remoteLockCalls(mac));
        List<AuditEvent> trail = audit.forDevice(mac);
        assertTrue(trail.stream().anyMatch(e -> e.action().equals(AuditEvent.FORCED_RELOCK)
                && e.lockId().equals(first) && e.actor().equals("secops.lead@contoso.example")
                && e.reason().contains(second) && e.reason().contains("useless")), trail.toString());
    }

    @Test
    void pinReadsNeedPinsReadAndEveryReadIsAudited() {
        String mac = newDeviceId();
        String pin = TestPins.next();
        GraphStubs.listsAfterLock(mac, "macMDM", macLockResult("pending", Instant.now(), pin));
        String lockId = lockMac(mac).extract().path("lockId");

        readPin(locker, mac).statusCode(403).contentType("application/problem+json").body(not(containsString(pin)));
        given().get("/v1/devices/" + mac + "/pin").then().statusCode(401);
        readPin(pinReader, mac).statusCode(200);

        List<AuditEvent> reads = audit.forDevice(mac).stream()
                .filter(e -> e.action().equals(AuditEvent.PIN_READ)).toList();
        assertEquals(2, reads.size(), reads.toString());
        assertEquals(List.of(AuditEvent.REFUSED, AuditEvent.GRANTED), reads.stream().map(AuditEvent::outcome).toList());
        assertEquals(List.of(HELPDESK, "pin.reader@contoso.example"), reads.stream().map(AuditEvent::actor).toList());
        assertTrue(reads.stream().allMatch(e -> e.at() != null && mac.equals(e.deviceId())));
        assertEquals(lockId, reads.get(1).lockId());
        assertTrue(reads.stream().noneMatch(e -> String.valueOf(e.reason()).contains(pin)));
    }

    @Test
    void aDeviceWithoutAMacLockHasNoPinAndTheRefusalIsAudited() {
        String phone = newDeviceId();
        readPin(pinReader, phone).statusCode(404).body("pinStatus", equalTo("NOT_APPLICABLE"));
        assertEquals(AuditEvent.REFUSED, audit.forDevice(phone).get(0).outcome());
        readPin(pinReader, "not-a-device").statusCode(400);
    }

    @Test
    void nonMacLocksHaveNoPin() {
        String phone = newDeviceId();
        device(phone, "iPhone");
        remoteLockAccepted(phone);
        LockApiCalls.lock(locker, phone, "Lost").statusCode(202).body("pin.status", equalTo("NOT_APPLICABLE"));
    }

    @Test
    void aFailedMacLockHasNoPinAndDoesNotBlockTheNextLock() {
        String mac = newDeviceId();
        Instant failedAt = Instant.now();
        GraphStubs.listsAfterLock(mac, "macMDM", macLockResult("failed", failedAt, null));

        lockMac(mac).body("pin.status", equalTo("UNAVAILABLE"));
        readPin(pinReader, mac).statusCode(404).body("pinStatus", equalTo("UNAVAILABLE"));

        // Intune lists the failed action and, newer, the next lock's own: the newest is this lock's.
        String pin = TestPins.next();
        device(mac, "macMDM", macLockResult("failed", failedAt, null));
        GraphStubs.afterLockShows(mac, GraphStubs.deviceJson(mac, "macMDM", macLockResult("failed", failedAt, null),
                macLockResult("pending", Instant.now().plusSeconds(1), pin)));
        LockApiCalls.lock(locker, mac, "Try again").statusCode(202).body("pin.status", equalTo("STORED"));
        readPin(pinReader, mac).statusCode(200).body("pin", equalTo(pin));
    }

    @Test
    void aRemoteLockResultFromBeforeThisLocksSendIsNotTaken() {
        String mac = newDeviceId();
        GraphStubs.listsAfterLock(mac, "macMDM", macLockResult("pending", Instant.now().minusSeconds(45), TestPins.next()));

        lockMac(mac).body("pin.status", equalTo("AWAITING"));
    }

    @Test
    void aMacLockedWithAPinIntuneDidNotGiveUsStaysGuardedUntilTheUnlockIsConfirmed() {
        String mac = newDeviceId();
        GraphStubs.listsAfterLock(mac, "macMDM", macLockResult("done", Instant.now(), null));
        lockMac(mac).body("pin.status", equalTo("UNAVAILABLE"));

        LockApiCalls.lock(locker, mac, "Again").statusCode(409)
                .body("pinStatus", equalTo("UNAVAILABLE"))
                .body("detail", containsString("Intune admin center"));
        confirmUnlocked(locker, mac).statusCode(204);
        device(mac, "macMDM");
        LockApiCalls.lock(locker, mac, "Again").statusCode(202);
        assertEquals(2, remoteLockCalls(mac));
    }

    @Test
    void aForcedLockThatGraphRefusedDoesNotLiftTheGuardOfThePreviousPin() {
        String mac = newDeviceId();
        String pin = TestPins.next();
        GraphStubs.listsAfterLock(mac, "macMDM", macLockResult("pending", Instant.now(), pin));
        String first = lockMac(mac).extract().path("lockId");

        GraphStubs.remoteLockAnswers(mac, GraphStubs.graphError(400, "BadRequest", "Rejected", "req-400"));
        String admin = Tokens.withRoles("secops.lead@contoso.example", "Lock.Devices", "Locks.Admin");
        given().header("Authorization", "Bearer " + admin).contentType(ContentType.JSON)
                .body("{\"deviceId\":\"%s\",\"reason\":\"Forced\",\"force\":true}".formatted(mac))
                .post("/v1/locks").then().statusCode(202).body("status", equalTo("REJECTED"));

        remoteLockAccepted(mac);
        LockApiCalls.lock(locker, mac, "Plain lock").statusCode(409)
                .body("type", containsString("mac-pin-outstanding"))
                .body("lockId", equalTo(first));
        assertEquals(2, remoteLockCalls(mac), "the first lock and the refused forced one, nothing more");
        readPin(pinReader, mac).statusCode(200).body("pin", equalTo(pin));
    }

    @Test
    void somethingThatIsNotASixDigitPinIsNotStoredAndTheAdminIsToldWhereToLook() {
        String mac = newDeviceId();
        GraphStubs.listsAfterLock(mac, "macMDM", macLockResult("pending", Instant.now(), "12345"));

        lockMac(mac).body("pin.status", equalTo("UNAVAILABLE"));
        readPin(pinReader, mac).statusCode(404)
                .body("pinStatus", equalTo("UNAVAILABLE"))
                .body("detail", containsString("Intune admin center"))
                .body(not(containsString("12345")));
    }

    private ValidatableResponse lockMac(String mac) {
        return LockApiCalls.lock(locker, mac, "Reported stolen").statusCode(202)
                .body("platform", equalTo("MACOS"))
                .body("status", equalTo("SENT"));
    }

    private List<Map<String, AttributeValue>> pinItems(String mac) {
        return dynamo.query(q -> q.tableName("LocksTable")
                .keyConditionExpression("pk = :pk AND begins_with(sk, :pin)")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("DEVICE#" + mac),
                        ":pin", AttributeValue.fromS("PIN#"))))
                .items();
    }
}
