package dev.intunelock.selfservice;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.intunelock.selfservice.SelfServiceApi.devices;
import static dev.intunelock.selfservice.SelfServiceApi.lock;
import static dev.intunelock.selfservice.SelfServiceApi.lockWithBody;
import static dev.intunelock.selfservice.SelfServiceApi.newEmployee;
import static dev.intunelock.selfservice.SelfServiceApi.ownDevice;
import static dev.intunelock.testing.GraphStubs.deviceOf;
import static dev.intunelock.testing.GraphStubs.devicesListedFor;
import static dev.intunelock.testing.GraphStubs.graphError;
import static dev.intunelock.testing.GraphStubs.macLockResult;
import static dev.intunelock.testing.GraphStubs.newDeviceId;
import static dev.intunelock.testing.GraphStubs.remoteLockAccepted;
import static dev.intunelock.testing.GraphStubs.remoteLockCalls;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.intunelock.testing.GraphStubs;
import dev.intunelock.testing.LocalStack;
import dev.intunelock.testing.TestPins;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** The lock API's rules, met through self-service: platform gate, Mac re-lock guard, validation, sign-in. */
@QuarkusTest
@WithTestResource(LocalStack.class)
class SelfServiceLockTest {

    @Test
    void anUnsupportedPlatformIsListedAsNotLockableWithTheReason() {
        String me = newEmployee();
        String desktop = newDeviceId();
        devicesListedFor(me, deviceOf(me, desktop, "desktop", "My workstation"));

        devices(me).statusCode(200)
                .body("devices[0].platform", equalTo("WINDOWS_DESKTOP"))
                .body("devices[0].lockable", equalTo(false))
                .body("devices[0].notLockableReason", containsString("does not support Remote lock on Windows desktop"));
    }

    @Test
    void lockingAnUnsupportedPlatformIs422AndNothingIsSent() {
        String me = newEmployee();
        String desktop = ownDevice(me, "desktop", "My workstation");

        lock(me, desktop).statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("https://intune-lock.dev/problems/platform-not-lockable"))
                .body("platform", equalTo("WINDOWS_DESKTOP"));
        assertEquals(0, remoteLockCalls(desktop));
    }

    @Test
    void aMacIsLockedOnceAndNoSelfServiceAnswerEverHoldsItsPin() {
        String me = newEmployee();
        String mac = newDeviceId();
        String pin = TestPins.next();
        devicesListedFor(me, deviceOf(me, mac, "macMDM", "My MacBook"));
        GraphStubs.afterLockShows(mac, GraphStubs.ownedDeviceJson(mac, "macMDM", me, "My MacBook",
                macLockResult("pending", Instant.now(), pin)));

        lock(me, mac).statusCode(202)
                .body("platform", equalTo("MACOS"))
                .body("pin.status", equalTo("STORED"))
                .body("pin.expiresAt", notNullValue())
                .body(not(containsString(pin)));

        lock(me, mac).statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("https://intune-lock.dev/problems/mac-pin-outstanding"))
                .body("expiresAt", notNullValue())
                .body(not(containsString(pin)));
        devices(me).statusCode(200).body(not(containsString(pin)));
        assertEquals(1, remoteLockCalls(mac), "the re-lock guard kept the second lock from Intune");
    }

    @Test
    void theListShowsALockedMacAsLockedWithTheDateTheHelpdeskHoldsItsPinUntilAndALockedPhoneAsSent() {
        String me = newEmployee();
        String mac = newDeviceId();
        String phone = newDeviceId();
        String pin = TestPins.next();
        devicesListedFor(me, deviceOf(me, mac, "macMDM", "A MacBook"), deviceOf(me, phone, "iPhone", "B iPhone"));
        GraphStubs.afterLockShows(mac, GraphStubs.ownedDeviceJson(mac, "macMDM", me, "A MacBook",
                macLockResult("pending", Instant.now(), pin)));
        GraphStubs.remoteLockAccepted(phone);
        devices(me).statusCode(200).body("devices[0].lock", nullValue()).body("devices[0].lockable", equalTo(true));

        String pinExpiresAt = lock(me, mac).statusCode(202).extract().path("pin.expiresAt");
        String phoneSentAt = lock(me, phone).statusCode(202).extract().path("sentAt");

        devices(me).statusCode(200)
                .body("devices[0].lock.status", equalTo("SENT"))
                .body("devices[0].lock.pinHeldUntil", equalTo(pinExpiresAt))
                .body("devices[0].lockable", equalTo(false))
                .body("devices[0].notLockableReason", containsString("helpdesk holds its recovery PIN"))
                .body("devices[1].lock.status", equalTo("SENT"))
                .body("devices[1].lock.sentAt", equalTo(phoneSentAt))
                .body("devices[1].lock.pinHeldUntil", nullValue())
                .body(not(containsString(pin)));
    }

    @Test
    void selfServiceCannotForceALock() {
        String me = newEmployee();
        String mac = ownDevice(me, "macMDM", "My MacBook");

        lockWithBody(me, """
                {"deviceId":"%s","note":"again","force":true}""".formatted(mac))
                .statusCode(400).contentType("application/problem+json");
        assertEquals(0, remoteLockCalls(mac));
    }

    @Test
    void withoutANoteTheLockSaysItWasReportedLostByItsOwner() {
        String me = newEmployee();
        String phone = ownDevice(me, "android", "My Pixel");

        lockWithBody(me, "{\"deviceId\":\"" + phone + "\"}").statusCode(202)
                .body("reason", equalTo(SelfServiceLockRequest.NO_NOTE));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{}",
            "{\"deviceId\":\"not-a-guid\"}",
            "{\"deviceId\":\"../../v1.0/users\"}",
            "{\"deviceId\":7}",
            "[]",
            "not json" })
    void invalidRequestsAre400ProblemJson(String body) {
        lockWithBody(newEmployee(), body).statusCode(400).contentType("application/problem+json")
                .body("status", equalTo(400));
    }

    @Test
    void aNoteLongerThan500CharactersIs400() {
        lockWithBody(newEmployee(), """
                {"deviceId":"%s","note":"%s"}""".formatted(newDeviceId(), "x".repeat(501)))
                .statusCode(400).contentType("application/problem+json")
                .body("violations", hasItem("note must be at most 500 characters."));
    }

    @Test
    void withoutASignedInUserBothEndpointsAre401() {
        String phone = newDeviceId();
        remoteLockAccepted(phone);
        given().get("/v1/self-service/devices").then().statusCode(401).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("{\"deviceId\":\"" + phone + "\"}").post("/v1/self-service/locks")
                .then().statusCode(401).contentType("application/problem+json");
        given().header("Authorization", "Bearer not.a.jwt").get("/v1/self-service/devices").then().statusCode(401);
        assertEquals(0, remoteLockCalls(phone));
    }

    @Test
    void whenIntuneCannotBeAskedTheListIs503WithRetryAfter() {
        String me = newEmployee();
        LocalStack.graph().stubFor(get(urlPathEqualTo(GraphStubs.DEVICES.substring(0, GraphStubs.DEVICES.length() - 1)))
                .withQueryParam("$filter", containing(me))
                .willReturn(graphError(503, "ServiceUnavailable", "Try later", UUID.randomUUID().toString())
                        .withHeader("Retry-After", "0")));

        devices(me).statusCode(503).contentType("application/problem+json")
                .body("type", equalTo("https://intune-lock.dev/problems/intune-unavailable"))
                .header("Retry-After", notNullValue());
    }
}
