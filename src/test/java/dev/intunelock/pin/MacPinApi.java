package dev.intunelock.pin;

import static io.restassured.RestAssured.given;

import io.restassured.response.ValidatableResponse;

/** The PIN endpoints as a caller uses them, through the Lambda event path. */
final class MacPinApi {

    private MacPinApi() {
    }

    static ValidatableResponse readPin(String token, String deviceId) {
        return given().header("Authorization", "Bearer " + token).get("/v1/devices/" + deviceId + "/pin").then();
    }

    static ValidatableResponse confirmUnlocked(String token, String deviceId) {
        return given().header("Authorization", "Bearer " + token)
                .post("/v1/devices/" + deviceId + "/pin/unlocked").then();
    }
}
