package dev.intunelock.pin;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

final class LockApiCalls {

    private LockApiCalls() {
    }

    static ValidatableResponse lock(String token, String deviceId, String reason) {
        return given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON)
                .body("{\"deviceId\":\"%s\",\"reason\":\"%s\"}".formatted(deviceId, reason))
                .post("/v1/locks").then();
    }
}
