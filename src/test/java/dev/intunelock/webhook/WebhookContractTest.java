package dev.intunelock.webhook;

import static dev.intunelock.testing.GraphStubs.device;
import static dev.intunelock.testing.GraphStubs.devicesWhere;
import static dev.intunelock.testing.GraphStubs.macLockResult;
import static dev.intunelock.testing.GraphStubs.newDeviceId;
import static dev.intunelock.testing.GraphStubs.remoteLockAccepted;
import static dev.intunelock.testing.GraphStubs.remoteLockCalls;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.intunelock.testing.GraphStubs;
import dev.intunelock.testing.TestPins;
import dev.intunelock.testing.Tokens;
import io.restassured.response.ValidatableResponse;

/**
 * What every webhook format must do, each subclass building deliveries the way its sender documents them: lock on
 * a genuine firing alert, once however often redelivered, and refuse anyone who cannot prove to be the sender.
 */
abstract class WebhookContractTest {

    /** How an alert names its device. */
    enum Kind {
        INTUNE_ID, SERIAL, NAME
    }

    record Delivery(byte[] body, Map<String, String> headers) {
    }

    abstract String source();

    abstract String currentSecret();

    abstract String previousSecret();

    /** A payload carrying one alert with this id, naming the device by {@code kind}. */
    abstract byte[] payload(String alertId, Kind kind, String value, boolean firing);

    /** The proof of origin the sender attaches, made with {@code secret} at {@code at}. */
    abstract Map<String, String> sign(byte[] body, String secret, Instant at);

    Delivery delivery(String alertId, Kind kind, String value, boolean firing) {
        byte[] body = payload(alertId, kind, value, firing);
        return new Delivery(body, sign(body, currentSecret(), Instant.now()));
    }

    ValidatableResponse send(Delivery delivery) {
        var request = given().contentType("application/json").body(delivery.body());
        delivery.headers().forEach(request::header);
        return request.post("/v1/webhooks/" + source()).then();
    }

    static String lockableDevice(String deviceType) {
        String id = newDeviceId();
        device(id, deviceType);
        remoteLockAccepted(id);
        return id;
    }

    @Test
    void aGenuineFiringAlertLocksTheDevice() {
        String deviceId = lockableDevice("iPhone");

        String lockId = send(delivery(UUID.randomUUID().toString(), Kind.INTUNE_ID, deviceId, true))
                .statusCode(202)
                .body("source", equalTo(source()))
                .body("results", hasSize(1))
                .body("results[0].result", equalTo("locked"))
                .body("results[0].deviceId", equalTo(deviceId))
                .extract().path("results[0].lockId");

        assertEquals(1, remoteLockCalls(deviceId));
        given().header("Authorization", "Bearer " + Tokens.withRoles("soc@contoso.example", "Lock.Devices"))
                .get("/v1/locks/" + lockId).then().statusCode(200)
                .body("source", equalTo("webhook:" + source()))
                .body("requestedBy", equalTo("webhook:" + source()))
                .body("status", equalTo("SENT"));
    }

    @Test
    void theSameDeliveryAgainGivesTheSameResultAndNoSecondRemoteLock() {
        String deviceId = lockableDevice("android");
        byte[] body = payload(UUID.randomUUID().toString(), Kind.INTUNE_ID, deviceId, true);

        String lockId = send(new Delivery(body, sign(body, currentSecret(), Instant.now()))).statusCode(202)
                .body("results[0].result", equalTo("locked")).extract().path("results[0].lockId");
        send(new Delivery(body, sign(body, currentSecret(), Instant.now()))).statusCode(202)
                .body("results[0].result", equalTo("locked"))
                .body("results[0].lockId", equalTo(lockId));

        assertEquals(1, remoteLockCalls(deviceId));
    }

    @Test
    void aWrongSecretIs401WithNoDetailAndNoGraphCall() {
        String deviceId = lockableDevice("android");
        byte[] body = payload(UUID.randomUUID().toString(), Kind.INTUNE_ID, deviceId, true);

        send(new Delivery(body, sign(body, "not-the-secret", Instant.now()))).statusCode(401)
                .contentType("application/problem+json")
                .body("detail", equalTo(null));
        assertEquals(0, remoteLockCalls(deviceId));
    }

    @Test
    void aTamperedBodyIs401() {
        String deviceId = lockableDevice("android");
        String otherDevice = lockableDevice("android");
        byte[] body = payload(UUID.randomUUID().toString(), Kind.INTUNE_ID, deviceId, true);
        Map<String, String> signature = sign(body, currentSecret(), Instant.now());
        byte[] tampered = new String(body, StandardCharsets.UTF_8).replace(deviceId, otherDevice)
                .getBytes(StandardCharsets.UTF_8);

        send(new Delivery(tampered, signature)).statusCode(401);
        assertEquals(0, remoteLockCalls(otherDevice));
    }

    @Test
    void aMissingProofIs401() {
        String deviceId = lockableDevice("android");
        send(new Delivery(payload(UUID.randomUUID().toString(), Kind.INTUNE_ID, deviceId, true), Map.of()))
                .statusCode(401);
        assertEquals(0, remoteLockCalls(deviceId));
    }

    @Test
    void bothTheOldAndTheNewSecretAreAcceptedDuringRotation() {
        String first = lockableDevice("android");
        byte[] body = payload(UUID.randomUUID().toString(), Kind.INTUNE_ID, first, true);
        send(new Delivery(body, sign(body, previousSecret(), Instant.now()))).statusCode(202)
                .body("results[0].result", equalTo("locked"));

        String second = lockableDevice("android");
        byte[] next = payload(UUID.randomUUID().toString(), Kind.INTUNE_ID, second, true);
        send(new Delivery(next, sign(next, currentSecret(), Instant.now()))).statusCode(202)
                .body("results[0].result", equalTo("locked"));
    }

    @Test
    void aResolvedAlertIsAcknowledgedAndIgnored() {
        String deviceId = lockableDevice("android");
        send(delivery(UUID.randomUUID().toString(), Kind.INTUNE_ID, deviceId, false)).statusCode(202)
                .body("results[0].result", equalTo("ignored"));
        assertEquals(0, remoteLockCalls(deviceId));
    }

    @Test
    void aNameSharedByTwoDevicesIsAmbiguousAndLocksNothing() {
        String name = "LAPTOP-" + UUID.randomUUID().toString().substring(0, 8);
        String a = lockableDevice("android");
        String b = lockableDevice("android");
        devicesWhere("deviceName eq '" + name + "'", GraphStubs.namedDeviceJson(a, "android", name),
                GraphStubs.namedDeviceJson(b, "android", name));

        send(delivery(UUID.randomUUID().toString(), Kind.NAME, name, true)).statusCode(202)
                .body("results[0].result", equalTo("ambiguous"))
                .body("results[0].count", equalTo(2));
        assertEquals(0, remoteLockCalls(a) + remoteLockCalls(b));
    }

    @Test
    void aSerialNumberNoDeviceHasIsUnmatched() {
        String serial = "C02" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        devicesWhere("serialNumber eq '" + serial + "'");

        send(delivery(UUID.randomUUID().toString(), Kind.SERIAL, serial, true)).statusCode(202)
                .body("results[0].result", equalTo("unmatched"))
                .body("results[0].reason", containsString(serial));
    }

    @Test
    void aUniqueSerialNumberLocksItsDevice() {
        String serial = "C02" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        String deviceId = lockableDevice("macMDM");
        device(deviceId, "macMDM", macLockResult("pending", Instant.now(), TestPins.next()));
        devicesWhere("serialNumber eq '" + serial + "'", GraphStubs.deviceJson(deviceId, "macMDM"));

        send(delivery(UUID.randomUUID().toString(), Kind.SERIAL, serial, true)).statusCode(202)
                .body("results[0].result", equalTo("locked"))
                .body("results[0].deviceId", equalTo(deviceId));
        assertEquals(1, remoteLockCalls(deviceId));
    }

    @Test
    void aWindowsDesktopIsRefusedForThatAlert() {
        String deviceId = lockableDevice("desktop");
        send(delivery(UUID.randomUUID().toString(), Kind.INTUNE_ID, deviceId, true)).statusCode(202)
                .body("results[0].result", equalTo("refused"))
                .body("results[0].reason", containsString("Windows desktop"));
        assertEquals(0, remoteLockCalls(deviceId));
    }

    @Test
    void aMacWhosePinIsOutstandingIsReportedAlreadyLocked() {
        String mac = newDeviceId();
        GraphStubs.listsAfterLock(mac, "macMDM", macLockResult("pending", Instant.now(), TestPins.next()));
        String first = send(delivery(UUID.randomUUID().toString(), Kind.INTUNE_ID, mac, true)).statusCode(202)
                .body("results[0].result", equalTo("locked")).extract().path("results[0].lockId");

        send(delivery(UUID.randomUUID().toString(), Kind.INTUNE_ID, mac, true)).statusCode(202)
                .body("results[0].result", equalTo("already-locked"))
                .body("results[0].lockId", equalTo(first))
                .body(not(containsString("\"pin\"")));
        assertEquals(1, remoteLockCalls(mac));
    }

    @Test
    void aBodyThatIsNotJsonButSignedIs400() {
        byte[] body = "not json".getBytes(StandardCharsets.UTF_8);
        send(new Delivery(body, sign(body, currentSecret(), Instant.now()))).statusCode(400)
                .contentType("application/problem+json");
    }
}
