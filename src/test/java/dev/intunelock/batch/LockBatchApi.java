package dev.intunelock.batch;

import static io.restassured.RestAssured.given;

import java.util.Arrays;
import java.util.stream.Collectors;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;

/** The lock-batch API as a caller uses it, through the Lambda event path. */
final class LockBatchApi {

    private LockBatchApi() {
    }

    static ValidatableResponse start(String token, String body) {
        return given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON).body(body)
                .post("/v1/lock-batches").then();
    }

    /** A single lock of the device, outside any batch. */
    static ValidatableResponse lock(String token, String deviceId) {
        return given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON).body("""
                {"deviceId":"%s","reason":"Reported stolen"}""".formatted(deviceId)).post("/v1/locks").then();
    }

    /** Intune device ids as the JSON array a batch request names them in. */
    static String deviceIds(String... ids) {
        return Arrays.stream(ids).map(id -> "\"" + id + "\"")
                .collect(Collectors.joining(",", "[", "]"));
    }

    static ValidatableResponse get(String token, String batchId) {
        return given().header("Authorization", "Bearer " + token).get("/v1/lock-batches/" + batchId).then();
    }

    /** The device's entry in the batch. */
    static JsonPath device(JsonPath batch, String deviceId) {
        return JsonPath.from(batch.prettify()).setRootPath("devices.find { it.deviceId == '" + deviceId + "' }");
    }
}
