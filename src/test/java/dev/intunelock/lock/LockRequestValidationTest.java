package dev.intunelock.lock;

import static dev.intunelock.lock.LockApi.as;
import static dev.intunelock.testing.GraphStubs.newDeviceId;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import org.junit.jupiter.api.Test;

import dev.intunelock.testing.LocalStack;
import dev.intunelock.testing.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Bad lock requests get a clear problem+json and nothing is recorded or sent. */
@QuarkusTest
@WithTestResource(LocalStack.class)
class LockRequestValidationTest {

    final String token = Tokens.withRoles("helpdesk@contoso.example", "Lock.Devices");

    @Test
    void aMissingReasonIs400() {
        as(token).body("{\"deviceId\":\"" + newDeviceId() + "\"}").post("/v1/locks").then()
                .statusCode(400).contentType("application/problem+json")
                .body("violations", hasItem(containsString("reason is required")));
    }

    @Test
    void aBlankReasonIs400() {
        as(token).body("{\"deviceId\":\"" + newDeviceId() + "\",\"reason\":\"   \"}").post("/v1/locks").then()
                .statusCode(400).body("violations", hasItem(containsString("reason is required")));
    }

    @Test
    void aMissingDeviceIdIs400() {
        as(token).body("{\"reason\":\"stolen\"}").post("/v1/locks").then()
                .statusCode(400).body("violations", hasItem("deviceId is required."));
    }

    @Test
    void aDeviceIdThatIsNotAnIntuneIdIs400() {
        as(token).body("{\"deviceId\":\"../../users\",\"reason\":\"stolen\"}").post("/v1/locks").then()
                .statusCode(400).body("violations", hasItem("deviceId must be an Intune managed device id (a GUID)."));
    }

    @Test
    void everyProblemIsNamedAtOnce() {
        as(token).body("{}").post("/v1/locks").then()
                .statusCode(400).body("violations.size()", equalTo(2));
    }

    @Test
    void anUnknownFieldIs400() {
        as(token).body("{\"deviceId\":\"" + newDeviceId() + "\",\"reason\":\"r\",\"wipe\":true}")
                .post("/v1/locks").then()
                .statusCode(400).contentType("application/problem+json")
                .body("detail", equalTo("Unknown field 'wipe'."));
    }

    @Test
    void malformedJsonIs400() {
        as(token).body("{\"deviceId\": ").post("/v1/locks").then()
                .statusCode(400).contentType("application/problem+json")
                .body("title", equalTo("The body is not valid JSON of the expected shape"));
    }

    @Test
    void aJsonArrayInsteadOfAnObjectIs400() {
        as(token).body("[1,2]").post("/v1/locks").then()
                .statusCode(400).contentType("application/problem+json");
    }

    @Test
    void anEmptyBodyIs400() {
        as(token).body("").post("/v1/locks").then()
                .statusCode(400).contentType("application/problem+json");
    }

    @Test
    void aBodyThatIsNotJsonIs415() {
        as(token).contentType("text/plain").body("lock it").post("/v1/locks").then()
                .statusCode(415).contentType("application/problem+json");
    }

    @Test
    void anOversizeBodyIs413() {
        String reason = "x".repeat(70_000);
        as(token).body("{\"deviceId\":\"" + newDeviceId() + "\",\"reason\":\"" + reason + "\"}")
                .post("/v1/locks").then()
                .statusCode(413).contentType("application/problem+json");
    }

    @Test
    void anOversizeBodySentWithoutContentLengthIs413Too() {
        String body = "{\"deviceId\":\"" + newDeviceId() + "\",\"reason\":\"" + "x".repeat(20_000) + "\"}";
        String event = """
                {"version":"2.0","routeKey":"$default","rawPath":"/v1/locks","rawQueryString":"",
                 "headers":{"content-type":"application/json","transfer-encoding":"chunked",
                 "authorization":"Bearer %s"},
                 "requestContext":{"http":{"method":"POST","path":"/v1/locks","protocol":"HTTP/1.1",
                 "sourceIp":"127.0.0.1"}},"body":%s,"isBase64Encoded":false}"""
                .formatted(token, "\"" + new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance()
                        .quoteAsString(body)) + "\"");
        // A raw API Gateway event, as a chunked request arrives: no Content-Length for the first check to read.
        io.restassured.RestAssured.given().contentType("application/json").body(event).post("/_lambda_").then()
                .statusCode(200)
                .body("statusCode", org.hamcrest.Matchers.equalTo(413))
                .body("body", containsString("body-too-large"));
    }

    @Test
    void aBodyHoldingTwoJsonObjectsIs400() {
        String one = "{\"deviceId\":\"" + newDeviceId() + "\",\"reason\":\"r\"}";
        as(token).body(one + one).post("/v1/locks").then()
                .statusCode(400).contentType("application/problem+json")
                .body("type", containsString("invalid-json"));
    }

    @Test
    void aTooLongReasonIs400() {
        as(token).body("{\"deviceId\":\"" + newDeviceId() + "\",\"reason\":\"" + "x".repeat(1001) + "\"}")
                .post("/v1/locks").then()
                .statusCode(400).body("violations", hasItem("reason must be at most 1000 characters."));
    }

    @Test
    void aMalformedIdempotencyKeyIs400() {
        as(token).header("Idempotency-Key", "x".repeat(300))
                .body("{\"deviceId\":\"" + newDeviceId() + "\",\"reason\":\"r\"}").post("/v1/locks").then()
                .statusCode(400).body("violations", hasItem(containsString("Idempotency-Key")));
    }
}
