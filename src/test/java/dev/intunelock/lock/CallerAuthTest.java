package dev.intunelock.lock;

import static dev.intunelock.lock.LockApi.lock;
import static dev.intunelock.testing.GraphStubs.device;
import static dev.intunelock.testing.GraphStubs.newDeviceId;
import static dev.intunelock.testing.GraphStubs.remoteLockAccepted;
import static dev.intunelock.testing.GraphStubs.remoteLockCalls;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.intunelock.testing.GraphStubs;
import dev.intunelock.testing.LocalStack;
import dev.intunelock.testing.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Only callers with a valid token and the Lock.Devices role may lock or read locks. */
@QuarkusTest
@WithTestResource(LocalStack.class)
class CallerAuthTest {

    static final String UPN = "helpdesk@contoso.example";

    @Test
    void noTokenIs401AndNothingIsSent() {
        String deviceId = lockableDevice();
        given().contentType(ContentType.JSON).body("{\"deviceId\":\"" + deviceId + "\",\"reason\":\"r\"}")
                .post("/v1/locks").then()
                .statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer");
        assertEquals(0, remoteLockCalls(deviceId));
    }

    @Test
    void aTokenSignedByAnotherKeyIs401() {
        String deviceId = lockableDevice();
        lock(Tokens.forged(UPN, "Lock.Devices"), deviceId).statusCode(401).contentType("application/problem+json");
        assertEquals(0, remoteLockCalls(deviceId));
    }

    @Test
    void aTokenWhoseClaimsWereAlteredIs401EvenRightAfterTheOriginalWasAccepted() {
        // The lock role added to a token the function has just verified: its signature no longer fits.
        String deviceId = lockableDevice();
        String reader = Tokens.withRoles(UPN, "Pins.Read");
        lock(reader, deviceId).statusCode(403);
        String[] parts = reader.split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String altered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                claims.replace("\"Pins.Read\"", "\"Lock.Devices\"").getBytes(StandardCharsets.UTF_8)) + "." + parts[2];

        lock(altered, deviceId).statusCode(401).contentType("application/problem+json");
        lock(reader, deviceId).statusCode(403);
        assertEquals(0, remoteLockCalls(deviceId));
    }

    @Test
    void anExpiredTokenIs401() {
        lock(Tokens.expired(UPN, "Lock.Devices"), lockableDevice()).statusCode(401);
    }

    @Test
    void aTokenFromAnotherIssuerIs401() {
        lock(Tokens.fromOtherIssuer(UPN, "Lock.Devices"), lockableDevice()).statusCode(401);
    }

    @Test
    void aGarbageTokenIs401() {
        lock("not.a.jwt", lockableDevice()).statusCode(401).contentType("application/problem+json");
    }

    @Test
    void aTokenWithoutTheLockRoleIs403AndNothingIsSent() {
        String deviceId = lockableDevice();
        lock(Tokens.withRoles(UPN, "Pins.Read"), deviceId).statusCode(403)
                .contentType("application/problem+json").body("status", equalTo(403));
        lock(Tokens.withRoles(UPN), deviceId).statusCode(403);
        assertEquals(0, remoteLockCalls(deviceId));
    }

    @Test
    void readingALockNeedsTheLockRoleToo() {
        LockApi.status(Tokens.withRoles(UPN, "Pins.Read"), UUID.randomUUID().toString()).statusCode(403);
        given().get("/v1/locks/" + UUID.randomUUID()).then().statusCode(401);
    }

    @Test
    void requestedByIsTheUpnThenPreferredUsernameThenSubject() {
        lock(Tokens.withRoles(UPN, "Lock.Devices"), lockableDevice()).statusCode(202)
                .body("requestedBy", equalTo(UPN));
        lock(Tokens.withPreferredUsername("guest@partner.example", "Lock.Devices"), lockableDevice())
                .statusCode(202).body("requestedBy", equalTo("guest@partner.example"));
        lock(Tokens.withSubjectOnly("7d6f1c2e-service", "Lock.Devices"), lockableDevice())
                .statusCode(202).body("requestedBy", equalTo("7d6f1c2e-service"));
    }

    @Test
    void aTokenThatNamesNoPrincipalIs401AndLocksNothing() {
        String deviceId = lockableDevice();
        lock(Tokens.withSubjectOnly("   ", "Lock.Devices"), deviceId)
                .statusCode(401).contentType("application/problem+json");
        assertEquals(0, GraphStubs.remoteLockCalls(deviceId));
    }

    @Test
    void aGroupNamedLikeARoleGrantsNothingRolesComeFromTheRolesClaimOnly() {
        String token = Tokens.withGroupsOnly(UPN, "Lock.Devices", "Pins.Read", "Locks.Admin");
        String deviceId = lockableDevice();
        lock(token, deviceId).statusCode(403).contentType("application/problem+json");
        given().header("Authorization", "Bearer " + token).get("/v1/devices/" + deviceId + "/pin").then()
                .statusCode(403);
        assertEquals(0, remoteLockCalls(deviceId));
    }

    private static String lockableDevice() {
        String deviceId = newDeviceId();
        device(deviceId, "iPhone");
        remoteLockAccepted(deviceId);
        return deviceId;
    }
}
