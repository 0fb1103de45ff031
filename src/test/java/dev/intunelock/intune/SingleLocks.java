package dev.intunelock.intune;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;

import java.time.Instant;
import java.util.List;

import dev.intunelock.testing.GraphStubs;
import dev.intunelock.testing.LocalStack;
import io.restassured.response.ValidatableResponse;

/** Single locks of Android devices through the API, and when the Graph stand-in received their commands. */
final class SingleLocks {

    private SingleLocks() {
    }

    /** An Android device Intune knows and accepts a lock for. */
    static String android() {
        String device = GraphStubs.newDeviceId();
        GraphStubs.device(device, "android");
        GraphStubs.remoteLockAccepted(device);
        return device;
    }

    static ValidatableResponse lock(String token, String device) {
        return given().header("Authorization", "Bearer " + token).contentType("application/json")
                .body("{\"deviceId\":\"" + device + "\",\"reason\":\"Reported stolen\"}")
                .post("/v1/locks").then();
    }

    /** When Graph received each remoteLock for the device, in order. */
    static List<Instant> commandTimes(String device) {
        return LocalStack.graph().findAll(postRequestedFor(urlEqualTo(GraphStubs.LOCK_COMMANDS + device
                + "/remoteLock"))).stream().map(command -> command.getLoggedDate().toInstant()).toList();
    }
}
