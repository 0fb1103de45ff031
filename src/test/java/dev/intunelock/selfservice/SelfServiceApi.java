package dev.intunelock.selfservice;

import static io.restassured.RestAssured.given;

import java.util.UUID;

import dev.intunelock.testing.GraphStubs;
import dev.intunelock.testing.Tokens;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/** The self-service endpoints as the page calls them, through the Lambda event path, with an employee's token. */
final class SelfServiceApi {

    private SelfServiceApi() {
    }

    /** A new employee for each test, so that no test spends another's per-user lock allowance. */
    static String newEmployee() {
        return "employee-" + UUID.randomUUID() + "@contoso.example";
    }

    /** A device Intune registers to {@code owner}, whose lock Graph accepts; returns its id. */
    static String ownDevice(String owner, String deviceType, String name) {
        String id = GraphStubs.newDeviceId();
        GraphStubs.deviceOf(owner, id, deviceType, name);
        GraphStubs.remoteLockAccepted(id);
        return id;
    }

    /** An employee's token: no app role at all. */
    static String tokenOf(String upn) {
        return Tokens.withRoles(upn);
    }

    static ValidatableResponse devices(String upn) {
        return given().header("Authorization", "Bearer " + tokenOf(upn)).get("/v1/self-service/devices").then();
    }

    static ValidatableResponse lock(String upn, String deviceId) {
        return lockWithBody(upn, """
                {"deviceId":"%s","note":"Left it on the train"}""".formatted(deviceId));
    }

    static ValidatableResponse lockWithBody(String upn, String body) {
        return given().header("Authorization", "Bearer " + tokenOf(upn)).contentType(ContentType.JSON).body(body)
                .post("/v1/self-service/locks").then();
    }
}
