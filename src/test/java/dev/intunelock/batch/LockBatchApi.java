package dev.intunelock.batch;

import static io.restassured.RestAssured.given;

import java.time.Duration;
import java.util.Map;

import dev.intunelock.testing.ApiGatewayEvents;

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

    /** The batch once it has finished (every device settled), or an AssertionError after {@code within}. */
    static JsonPath finished(String token, String batchId, Duration within) {
        long end = System.nanoTime() + within.toNanos();
        while (true) {
            // Through the raw event entry: the harness's plain HTTP entry can stall while the queue's events keep
            // its one Lambda loop busy.
            ApiGatewayEvents.Answer answer = ApiGatewayEvents.get("/v1/lock-batches/" + batchId,
                    Map.of("authorization", "Bearer " + token));
            if (answer.status() != 200) {
                throw new AssertionError("GET batch answered " + answer.status() + ": " + answer.body().prettify());
            }
            JsonPath batch = answer.body();
            if ("FINISHED".equals(batch.getString("status"))) {
                return batch;
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("batch " + batchId + " not finished within " + within + ": "
                        + batch.prettify());
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new AssertionError(interrupted);
            }
        }
    }

    /** The device's entry in the batch. */
    static JsonPath device(JsonPath batch, String deviceId) {
        return JsonPath.from(batch.prettify()).setRootPath("devices.find { it.deviceId == '" + deviceId + "' }");
    }
}
