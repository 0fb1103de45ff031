package dev.intunelock.batch;

import static io.restassured.RestAssured.given;

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

    static ValidatableResponse get(String token, String batchId) {
        return given().header("Authorization", "Bearer " + token).get("/v1/lock-batches/" + batchId).then();
    }

    /** The device's entry in the batch. */
    static JsonPath device(JsonPath batch, String deviceId) {
        return JsonPath.from(batch.prettify()).setRootPath("devices.find { it.deviceId == '" + deviceId + "' }");
    }
}
