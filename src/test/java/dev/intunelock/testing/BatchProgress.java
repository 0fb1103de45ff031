package dev.intunelock.testing;

import java.time.Duration;
import java.util.Map;

import io.restassured.path.json.JsonPath;

/** Reads a lock batch through {@code GET /v1/lock-batches/{id}}, or follows it until it has finished. */
public final class BatchProgress {

    private BatchProgress() {
    }

    /**
     * The batch once it has finished (every device settled), or an AssertionError after {@code within}. Read through
     * the raw event entry: the test harness's plain HTTP entry can stall while the queue's events keep its one
     * Lambda loop busy.
     */
    public static JsonPath finished(String token, String batchId, Duration within) {
        long end = System.nanoTime() + within.toNanos();
        while (true) {
            JsonPath batch = read(token, batchId);
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

    /** The batch as it stands now (an AssertionError unless the GET answers 200), through the raw event entry. */
    public static JsonPath read(String token, String batchId) {
        ApiGatewayEvents.Answer answer = ApiGatewayEvents.get("/v1/lock-batches/" + batchId,
                Map.of("authorization", "Bearer " + token));
        if (answer.status() != 200) {
            throw new AssertionError("GET batch answered " + answer.status() + ": " + answer.body().prettify());
        }
        return answer.body();
    }
}
