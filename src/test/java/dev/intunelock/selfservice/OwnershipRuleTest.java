package dev.intunelock.selfservice;

import static dev.intunelock.selfservice.SelfServiceApi.devices;
import static dev.intunelock.selfservice.SelfServiceApi.lock;
import static dev.intunelock.selfservice.SelfServiceApi.newEmployee;
import static dev.intunelock.selfservice.SelfServiceApi.ownDevice;
import static dev.intunelock.testing.GraphStubs.deviceOf;
import static dev.intunelock.testing.GraphStubs.devicesListedFor;
import static dev.intunelock.testing.GraphStubs.devicesListedForObjectId;
import static dev.intunelock.testing.GraphStubs.newDeviceId;
import static dev.intunelock.testing.GraphStubs.noSuchDevice;
import static dev.intunelock.testing.GraphStubs.remoteLockAccepted;
import static dev.intunelock.testing.GraphStubs.remoteLockCalls;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.intunelock.audit.AuditEvent;
import dev.intunelock.audit.AuditTrail;
import dev.intunelock.testing.GraphStubs;
import dev.intunelock.testing.LocalStack;
import dev.intunelock.testing.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The ownership rule: self-service shows and locks only the caller's own devices. */
@QuarkusTest
@WithTestResource(LocalStack.class)
class OwnershipRuleTest {

    @Inject
    AuditTrail audit;

    @Test
    void theListHoldsOnlyTheCallersOwnDevicesWhateverGraphReturns() {
        String me = newEmployee();
        String mac = newDeviceId();
        String phone = newDeviceId();
        String someoneElses = newDeviceId();
        devicesListedFor(me,
                deviceOf(me, mac, "macMDM", "B MacBook"),
                deviceOf(me.toUpperCase(Locale.ROOT), phone, "iPhone", "A iPhone"),
                deviceOf("someone.else@contoso.example", someoneElses, "android", "Not mine"));

        devices(me).statusCode(200)
                .header("Cache-Control", "no-store")
                .body("devices.id", contains(phone, mac)) // by name; the UPN's case does not matter
                .body("devices[1].name", equalTo("B MacBook"))
                .body("devices[1].model", equalTo("Model"))
                .body("devices[1].platform", equalTo("MACOS"))
                .body("devices[1].operatingSystem", equalTo("macOS"))
                .body("devices[1].lastCheckIn", equalTo("2026-11-24T08:30:00Z"))
                .body("devices[1].lockable", equalTo(true))
                .body("devices[1].recoveryPin", equalTo(true))
                .body("devices[0].recoveryPin", equalTo(false));
    }

    @Test
    void anEmployeeWithNoDevicesGetsAnEmptyList() {
        String me = newEmployee();
        devicesListedFor(me);
        devices(me).statusCode(200).body("devices.size()", equalTo(0));
    }

    @Test
    void yourOwnDeviceIsLockedWithTheRecordsAndResponseOfTheLockApi() {
        String me = newEmployee();
        String phone = ownDevice(me, "iPhone", "My iPhone");

        var response = lock(me, phone).statusCode(202)
                .body("deviceId", equalTo(phone))
                .body("deviceName", equalTo("My iPhone"))
                .body("platform", equalTo("IOS"))
                .body("status", equalTo("SENT"))
                .body("source", equalTo("self-service"))
                .body("requestedBy", equalTo(me))
                .body("reason", equalTo("Left it on the train"))
                .body("sentAt", notNullValue())
                .extract();
        String lockId = response.path("lockId");

        assertEquals("/v1/locks/" + lockId, response.header("Location"));
        assertEquals(1, remoteLockCalls(phone));
        given().header("Authorization", "Bearer " + Tokens.withRoles("helpdesk@contoso.example", "Lock.Devices"))
                .get("/v1/locks/" + lockId).then().statusCode(200)
                .body("source", equalTo("self-service"))
                .body("requestedBy", equalTo(me));
    }

    @Test
    void aRenamedEmployeeKeepsTheirDevicesOwnershipFollowsTheObjectIdNotTheName() {
        String oldName = newEmployee();
        String objectId = Tokens.objectIdOf(oldName);
        String laptop = ownDevice(oldName, "macMDM", "My Mac");
        devicesListedForObjectId(objectId, GraphStubs.ownedDeviceJson(laptop, "macMDM", oldName, "My Mac"));
        String renamed = Tokens.withObjectId("renamed-" + oldName, objectId);

        given().header("Authorization", "Bearer " + renamed).get("/v1/self-service/devices").then().statusCode(200)
                .body("devices.id", equalTo(List.of(laptop)));
        given().header("Authorization", "Bearer " + renamed).contentType("application/json")
                .body("{\"deviceId\":\"" + laptop + "\"}").post("/v1/self-service/locks").then().statusCode(202)
                .body("requestedBy", equalTo("renamed-" + oldName))
                .body("requestedById", equalTo(objectId));
        assertEquals(1, remoteLockCalls(laptop));
    }

    @Test
    void someoneGivenTheSameNameButAnotherObjectIdSeesAndLocksNothing() {
        String name = newEmployee();
        String laptop = ownDevice(name, "macMDM", "My Mac");
        String newcomer = UUID.randomUUID().toString();
        // Whatever Graph lists, the rule decides.
        devicesListedForObjectId(newcomer, GraphStubs.ownedDeviceJson(laptop, "macMDM", name, "My Mac"));
        String sameName = Tokens.withObjectId(name, newcomer);

        given().header("Authorization", "Bearer " + sameName).get("/v1/self-service/devices").then().statusCode(200)
                .body("devices", equalTo(List.of()));
        given().header("Authorization", "Bearer " + sameName).contentType("application/json")
                .body("{\"deviceId\":\"" + laptop + "\"}").post("/v1/self-service/locks").then().statusCode(403);
        assertEquals(0, remoteLockCalls(laptop));
    }

    @Test
    void aTokenWithoutAnObjectIdCannotUseSelfService() {
        String me = newEmployee();
        String laptop = ownDevice(me, "macMDM", "My Mac");
        String withoutOid = Tokens.withoutObjectId(me);

        given().header("Authorization", "Bearer " + withoutOid).get("/v1/self-service/devices").then()
                .statusCode(401).contentType("application/problem+json");
        given().header("Authorization", "Bearer " + withoutOid).contentType("application/json")
                .body("{\"deviceId\":\"" + laptop + "\"}").post("/v1/self-service/locks").then().statusCode(401);
        assertEquals(0, remoteLockCalls(laptop));
    }

    @Test
    void someoneElsesDeviceIs403AndNothingIsSent() {
        String me = newEmployee();
        String theirs = ownDevice("colleague@contoso.example", "iPhone", "Colleague's iPhone");

        lock(me, theirs).statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("https://intune-lock.dev/problems/not-your-device"))
                .body("deviceId", equalTo(theirs));

        assertEquals(0, remoteLockCalls(theirs));
        assertTrue(audit.forDevice(theirs).stream().anyMatch(e -> e.actor().equals(me)
                && Tokens.objectIdOf(me).equals(e.actorId()) && e.action().equals(AuditEvent.SELF_SERVICE_LOCK) && e.outcome().equals(AuditEvent.REFUSED)),
                "the refusal is in the audit trail");
    }

    @Test
    void aDeviceRegisteredToNobodyIsNobodysToLock() {
        String me = newEmployee();
        String shared = ownDevice("", "android", "Kiosk tablet");

        lock(me, shared).statusCode(403).contentType("application/problem+json");
        assertEquals(0, remoteLockCalls(shared));
    }

    @Test
    void aDeviceIntuneDoesNotKnowIs404AndNothingIsSent() {
        String me = newEmployee();
        String unknown = newDeviceId();
        noSuchDevice(unknown);
        remoteLockAccepted(unknown);

        lock(me, unknown).statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("https://intune-lock.dev/problems/device-not-found"))
                .body("deviceId", equalTo(unknown));
        assertEquals(0, remoteLockCalls(unknown));
    }
}
