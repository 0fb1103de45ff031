package dev.intunelock.audit;

import static dev.intunelock.testing.GraphStubs.macLockResult;
import static dev.intunelock.testing.GraphStubs.newDeviceId;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.intunelock.testing.GraphStubs;
import dev.intunelock.testing.LocalStack;
import dev.intunelock.testing.TestPins;
import dev.intunelock.testing.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/** "Who read this Mac's PIN?" is one call: the device's audit trail, newest first, paged, for Audit.Read only. */
@QuarkusTest
@WithTestResource(LocalStack.class)
class AuditApiTest {

    static final String AUDITOR = Tokens.withRoles("auditor@contoso.example", "Audit.Read");

    @Test
    void whoReadThisMacsPinIsAnsweredNewestFirstPageByPageWithoutThePin() {
        String mac = newDeviceId();
        String pin = TestPins.next();
        GraphStubs.listsAfterLock(mac, "macMDM", macLockResult("pending", Instant.now(), pin));
        given().header("Authorization", "Bearer " + Tokens.withRoles("helpdesk@contoso.example", "Lock.Devices"))
                .contentType("application/json").body("{\"deviceId\":\"" + mac + "\",\"reason\":\"Stolen\"}")
                .post("/v1/locks").then().statusCode(202);
        readPin(mac, Tokens.withRoles("first.reader@contoso.example", "Pins.Read")).statusCode(200);
        readPin(mac, Tokens.withRoles("curious@contoso.example")).statusCode(403);
        readPin(mac, Tokens.withRoles("second.reader@contoso.example", "Pins.Read")).statusCode(200);

        String next = trail(mac, "limit=2").statusCode(200)
                .header("Cache-Control", equalTo("no-store"))
                .body("deviceId", equalTo(mac))
                .body("events", hasSize(2))
                .body("events[0].actor.name", equalTo("second.reader@contoso.example"))
                .body("events[0].actor.objectId", equalTo(Tokens.objectIdOf("second.reader@contoso.example")))
                .body("events[0].action", equalTo("PIN_READ"))
                .body("events[0].outcome", equalTo("GRANTED"))
                .body("events[0].lockId", notNullValue())
                .body("events[1].actor.name", equalTo("curious@contoso.example"))
                .body("events[1].outcome", equalTo("REFUSED"))
                .body(not(containsString(pin)))
                .extract().path("next");

        trail(mac, "limit=2&cursor=" + next).statusCode(200)
                .body("events", hasSize(1))
                .body("events[0].actor.name", equalTo("first.reader@contoso.example"))
                .body("next", nullValue())
                .body(not(containsString(pin)));
    }

    @Test
    void theTrailNeedsAuditReadAndRefusesForeignCursorsAndLimits() {
        String device = newDeviceId();
        trail(device, "", Tokens.withRoles("helpdesk@contoso.example", "Lock.Devices", "Pins.Read")).statusCode(403)
                .contentType("application/problem+json");
        trail(device, "cursor=not-ours").statusCode(400).contentType("application/problem+json");
        trail(device, "limit=0").statusCode(400);
        trail(device, "limit=101").statusCode(400);
        given().header("Authorization", "Bearer " + AUDITOR).get("/v1/devices/not-a-guid/audit").then().statusCode(400);
        trail(device, "").statusCode(200).body("events", hasSize(0)).body("next", nullValue());
    }

    @Test
    void aLongTrailIsWalkedToItsEndWithoutRepeatsOrGaps() {
        String mac = newDeviceId();
        List<String> readers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String reader = "reader-" + i + "@contoso.example";
            readers.add(0, reader);
            readPin(mac, Tokens.withRoles(reader)).statusCode(403);
        }
        List<String> walked = new ArrayList<>();
        String cursor = null;
        do {
            ValidatableResponse page = trail(mac, "limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
            walked.addAll(page.extract().path("events.actor.name"));
            cursor = page.extract().path("next");
        } while (cursor != null);
        assertEquals(readers, walked);
    }

    private static ValidatableResponse readPin(String deviceId, String token) {
        return given().header("Authorization", "Bearer " + token).get("/v1/devices/" + deviceId + "/pin").then();
    }

    private static ValidatableResponse trail(String deviceId, String query) {
        return trail(deviceId, query, AUDITOR);
    }

    private static ValidatableResponse trail(String deviceId, String query, String token) {
        return given().header("Authorization", "Bearer " + token)
                .get("/v1/devices/" + deviceId + "/audit" + (query.isEmpty() ? "" : "?" + query)).then();
    }
}
