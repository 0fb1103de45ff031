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
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.intunelock.testing.GraphStubs;
import dev.intunelock.testing.LocalStack;
import dev.intunelock.testing.TestClock;
import dev.intunelock.testing.TestPins;
import dev.intunelock.testing.Tokens;
import dev.intunelock.testing.iam.AwsCall;
import dev.intunelock.testing.iam.DeployedPolicy;
import dev.intunelock.testing.iam.PolicyStatement;
import dev.intunelock.testing.iam.TestAccount;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/**
 * "Who read this Mac's PIN?" and "what did this account do last week?" are one call each: the audit trail by device
 * or by actor, newest first, paged, for Audit.Read only; events are only ever added.
 */
@QuarkusTest
@WithTestResource(LocalStack.class)
class AuditApiTest {

    static final String AUDITOR = Tokens.withRoles("auditor@contoso.example", "Audit.Read");

    @Inject
    AuditTrail audit;

    @Inject
    TestClock clock;

    @AfterEach
    void realTime() {
        clock.reset();
    }

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

        String last = trail(mac, "limit=2&cursor=" + next).statusCode(200)
                .body("events", hasSize(2))
                .body("events[0].actor.name", equalTo("first.reader@contoso.example"))
                .body("events[1].action", equalTo("LOCK_SENT"))
                .body("events[1].actor.name", equalTo("helpdesk@contoso.example"))
                .body("events[1].channel", equalTo("api"))
                .body(not(containsString(pin)))
                .extract().path("next");

        trail(mac, "limit=2&cursor=" + last).statusCode(200)
                .body("events", hasSize(1))
                .body("events[0].action", equalTo("LOCK_REQUESTED"))
                .body("events[0].reason", equalTo("Stolen"))
                .body("next", nullValue());
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

    @Test
    void whatDidThisAccountDoLastWeekIsOneCallAcrossDevicesNewestFirst() {
        String helpdesk = "weekly.helpdesk@contoso.example";
        String token = Tokens.withRoles(helpdesk, "Lock.Devices", "Pins.Read");
        String oid = Tokens.objectIdOf(helpdesk);
        String longAgo = newDeviceId();
        String phone = newDeviceId();
        String mac = newDeviceId();
        GraphStubs.listsAfterLock(longAgo, "iPhone", GraphStubs.remoteLockResult("pending", Instant.now()));
        GraphStubs.listsAfterLock(phone, "iPhone", GraphStubs.remoteLockResult("pending", Instant.now()));
        String pin = TestPins.next();
        GraphStubs.listsAfterLock(mac, "macMDM", macLockResult("pending", Instant.now(), pin));
        clock.setNow(Instant.now().minus(Duration.ofDays(10)));
        lock(token, longAgo);
        clock.reset();
        lock(token, phone);
        lock(token, mac);
        readPin(mac, token).statusCode(200);
        Instant weekAgo = Instant.now().minus(Duration.ofDays(7));

        List<Map<String, Object>> week = new ArrayList<>();
        String cursor = null;
        do {
            ValidatableResponse page = given().header("Authorization", "Bearer " + AUDITOR)
                    .get("/v1/audit?actor=" + oid + "&since=" + weekAgo + "&limit=2"
                            + (cursor == null ? "" : "&cursor=" + cursor))
                    .then().statusCode(200).header("Cache-Control", equalTo("no-store"))
                    .body("actor", equalTo(oid)).body(not(containsString(pin)));
            week.addAll(page.extract().path("events"));
            cursor = page.extract().path("next");
        } while (cursor != null);

        assertEquals(List.of("PIN_READ", "LOCK_SENT", "LOCK_REQUESTED", "LOCK_SENT", "LOCK_REQUESTED"),
                week.stream().map(e -> e.get("action")).toList());
        assertEquals(List.of(mac, mac, mac, phone, phone), week.stream().map(e -> e.get("deviceId")).toList());
        assertTrue(week.stream().allMatch(e -> "api".equals(e.get("channel"))
                && helpdesk.equals(((Map<?, ?>) e.get("actor")).get("name"))));
        List<Instant> times = week.stream().map(e -> Instant.parse((String) e.get("at"))).toList();
        assertEquals(times.stream().sorted(Comparator.reverseOrder()).toList(), times, "newest first");

        given().header("Authorization", "Bearer " + AUDITOR).get("/v1/audit?actor=" + oid).then().statusCode(200)
                .body("events.deviceId", hasItem(longAgo));
    }

    @Test
    void theActorQueryNeedsAuditReadAnObjectIdAndAnInstant() {
        String oid = Tokens.objectIdOf("someone@contoso.example");
        given().header("Authorization", "Bearer " + Tokens.withRoles("x@contoso.example", "Pins.Read"))
                .get("/v1/audit?actor=" + oid).then().statusCode(403).contentType("application/problem+json");
        given().header("Authorization", "Bearer " + AUDITOR).get("/v1/audit").then().statusCode(400)
                .contentType("application/problem+json");
        given().header("Authorization", "Bearer " + AUDITOR).get("/v1/audit?actor=someone@contoso.example").then()
                .statusCode(400).body("detail", containsString("object id"));
        given().header("Authorization", "Bearer " + AUDITOR).get("/v1/audit?actor=" + oid + "&since=last-week")
                .then().statusCode(400).body("detail", containsString("since"));
        given().header("Authorization", "Bearer " + AUDITOR).get("/v1/audit?actor=" + oid + "&cursor=nope")
                .then().statusCode(400);
    }

    @Test
    void anAuditEventIsWrittenOnceAndNeverOverwritten() {
        String device = newDeviceId();
        AuditEvent refused = AuditEvent.of(device, null, "curious@contoso.example", null, AuditEvent.API,
                AuditEvent.PIN_READ, AuditEvent.REFUSED, "caller lacks Pins.Read", Instant.now());
        assertTrue(audit.record(refused));

        AuditEvent rewritten = new AuditEvent(refused.id(), device, null, refused.actor(), null, AuditEvent.API,
                AuditEvent.PIN_READ, AuditEvent.GRANTED, "nothing to see", refused.at());
        assertFalse(audit.record(rewritten), "an existing event cannot be written over");
        assertEquals(List.of(AuditEvent.REFUSED), audit.forDevice(device).stream().map(AuditEvent::outcome).toList());
    }

    @Test
    void theFunctionMayOnlyAddToAndQueryTheAuditTable() {
        String auditTable = TestAccount.tableArn("AuditTable");
        for (String action : List.of("PutItem", "Query")) {
            assertTrue(DeployedPolicy.decide(AwsCall.of("dynamodb:" + action, auditTable)).allowed(), action);
        }
        for (String action : List.of("UpdateItem", "DeleteItem", "BatchWriteItem", "PartiQLUpdate", "PartiQLDelete",
                "UpdateTable", "DeleteTable", "UpdateTimeToLive")) {
            DeployedPolicy.Decision decision = DeployedPolicy.decide(AwsCall.of("dynamodb:" + action, auditTable)
                    .with("dynamodb:LeadingKeys", List.of("BATCH#x")));
            assertEquals(Optional.of("AuditAppendOnly"), decision.deniedBy(), action + " " + decision.why());
        }
        assertTrue(DeployedPolicy.statements().stream().filter(PolicyStatement::allows)
                .noneMatch(s -> s.actions().stream().anyMatch(a -> a.equals("*") || a.equals("dynamodb:*"))));
    }

    private static void lock(String token, String deviceId) {
        given().header("Authorization", "Bearer " + token).contentType("application/json")
                .body("{\"deviceId\":\"" + deviceId + "\",\"reason\":\"Lost\"}").post("/v1/locks").then()
                .statusCode(202).body("status", equalTo("SENT"));
    }
}
