package dev.intunelock.deploy;

import static dev.intunelock.testing.GraphStubs.device;
import static dev.intunelock.testing.GraphStubs.graphError;
import static dev.intunelock.testing.GraphStubs.macLockResult;
import static dev.intunelock.testing.GraphStubs.newDeviceId;
import static dev.intunelock.testing.GraphStubs.remoteLockAccepted;
import static dev.intunelock.testing.GraphStubs.remoteLockCalls;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.intunelock.testing.BatchProgress;
import dev.intunelock.testing.GraphStubs;
import dev.intunelock.testing.SqsEventSourceMapping;
import dev.intunelock.testing.SqsStandIn;
import dev.intunelock.testing.TestPins;
import dev.intunelock.testing.Tokens;
import dev.intunelock.webhook.GenericSenderSignature;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;

/**
 * The behaviours a deployment must keep, written only against the function's outside (API Gateway events in, Graph
 * and DynamoDB over the wire): {@link CoreBehavioursTest} runs them in the test JVM, {@link CoreBehavioursIT} on the
 * packaged function.
 */
abstract class CoreBehaviours {

    static String helpdesk() {
        return Tokens.withRoles("helpdesk@contoso.example", "Lock.Devices", "Pins.Read");
    }

    @Test
    void anIphoneIsLockedThroughIntune() {
        String iphone = newDeviceId();
        device(iphone, "iPhone");
        remoteLockAccepted(iphone);

        lock(iphone).statusCode(202).body("status", equalTo("SENT")).body("platform", equalTo("IOS"));
        assertEquals(1, remoteLockCalls(iphone));
    }

    @Test
    void aWindowsDesktopIsRefusedAndNothingIsSent() {
        String desktop = newDeviceId();
        device(desktop, "desktop");
        remoteLockAccepted(desktop);

        lock(desktop).statusCode(422).contentType("application/problem+json")
                .body("platform", equalTo("WINDOWS_DESKTOP"));
        assertEquals(0, remoteLockCalls(desktop));
    }

    @Test
    void aMacIsLockedOnceItsPinIsServedAndASecondLockIsRefused() {
        String pin = TestPins.next();
        String mac = newDeviceId();
        GraphStubs.listsAfterLock(mac, "macMDM", macLockResult("pending", Instant.now(), pin));

        lock(mac).statusCode(202).body("status", equalTo("SENT")).body(not(containsString(pin)));
        given().header("Authorization", "Bearer " + helpdesk()).get("/v1/devices/" + mac + "/pin").then()
                .statusCode(200).body("pin", equalTo(pin));
        lock(mac).statusCode(409).contentType("application/problem+json")
                .body("type", containsString("mac-pin-outstanding")).body(not(containsString(pin)));
        assertEquals(1, remoteLockCalls(mac));
    }

    @Test
    void aLockBatchIsCarriedByTheWorkQueueToTheEnd() {
        String iphone = newDeviceId();
        String desktop = newDeviceId();
        device(iphone, "iPhone");
        remoteLockAccepted(iphone);
        device(desktop, "desktop");
        SqsStandIn.purge();
        String token = Tokens.withRoles("soc@contoso.example", "Lock.Devices");
        try (SqsEventSourceMapping eventSource = SqsEventSourceMapping.intoPort(RestAssured.port, 1)) {
            String batchId = given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON)
                    .body("""
                            {"reason":"Incident drill","deviceIds":["%s","%s"]}""".formatted(iphone, desktop))
                    .post("/v1/lock-batches").then().statusCode(202).extract().path("batchId");
            JsonPath batch = BatchProgress.finished(token, batchId, Duration.ofSeconds(30));
            assertEquals(1, batch.getInt("counts.SENT"));
            assertEquals(1, batch.getInt("counts.REFUSED"));
            assertEquals(0, eventSource.failedInvocations());
        }
        assertEquals(1, remoteLockCalls(iphone));
        assertEquals(0, remoteLockCalls(desktop));
    }

    @Test
    void aSignedAlertLocksTheDeviceItNames() {
        String android = newDeviceId();
        device(android, "android");
        remoteLockAccepted(android);
        String body = """
                {"id":"%s","deviceId":"%s","reason":"EDR: credential theft detected","severity":"critical",\
                "status":"firing"}""".formatted(UUID.randomUUID(), android);
        given().contentType(ContentType.JSON)
                .headers(GenericSenderSignature.headers(body.getBytes(StandardCharsets.UTF_8), "siem-new-secret",
                        Instant.now()))
                .body(body).post("/v1/webhooks/siem").then().statusCode(202);
        assertEquals(1, remoteLockCalls(android));
    }

    @Test
    void anEmployeeLocksTheirOwnLostPhone() {
        String employee = "employee-" + UUID.randomUUID() + "@contoso.example";
        String phone = newDeviceId();
        GraphStubs.deviceOf(employee, phone, "iPhone", "My iPhone");
        remoteLockAccepted(phone);

        given().header("Authorization", "Bearer " + Tokens.withRoles(employee)).contentType(ContentType.JSON)
                .body("""
                        {"deviceId":"%s","note":"Left it on the train"}""".formatted(phone))
                .post("/v1/self-service/locks").then().statusCode(202).body("status", equalTo("SENT"));
        assertEquals(1, remoteLockCalls(phone));
    }

    @Test
    void aThrottledLockWaitsForRetryAfterAndGoesOut() {
        String android = newDeviceId();
        device(android, "android");
        GraphStubs.remoteLockAnswersOnceThenAccepts(android,
                graphError(429, "TooManyRequests", "Too many requests", "req-429").withHeader("Retry-After", "1"));

        lock(android).statusCode(202).body("status", equalTo("SENT"));
        assertEquals(2, remoteLockCalls(android));
    }

    private ValidatableResponse lock(String deviceId) {
        return given().header("Authorization", "Bearer " + helpdesk()).contentType(ContentType.JSON)
                .body("""
                        {"deviceId":"%s","reason":"Reported stolen"}""".formatted(deviceId))
                .post("/v1/locks").then();
    }
}
