package dev.intunelock.lock;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

/** The lock API as a caller uses it, through the Lambda event path. */
final class LockApi {

    private LockApi() {
    }

    static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON);
    }

    static ValidatableResponse lock(String token, String deviceId) {
        return as(token).body("""
                {"deviceId":"%s","reason":"Reported stolen"}""".formatted(deviceId))
                .post("/v1/locks").then();
    }

    static ValidatableResponse status(String token, String lockId) {
        return as(token).get("/v1/locks/" + lockId).then();
    }
}
