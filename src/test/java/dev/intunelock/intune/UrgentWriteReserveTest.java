package dev.intunelock.intune;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.intunelock.testing.BatchProgress;
import dev.intunelock.testing.LocalStack;
import dev.intunelock.testing.SqsEventSourceMapping;
import dev.intunelock.testing.SqsStandIn;
import dev.intunelock.testing.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The urgent reserve of the Graph write budget: here 6 writes in any 4 s (Intune's window shortened fivefold), of
 * which batches leave 1 to single locks until it frees within a quarter window (1 s). With 5 places of the window just
 * taken, as running batches would take them (through the same table), a single lock still goes out at once; a
 * batch's device takes the reserved place only once the window's oldest write is that close to leaving it.
 */
@QuarkusTest
@TestProfile(UrgentWriteReserveTest.SixWritesPer4Seconds.class)
@WithTestResource(LocalStack.class)
class UrgentWriteReserveTest {

    public static class SixWritesPer4Seconds implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("graph.writes.per-20s", "6", "graph.writes.window", WINDOW_MILLIS + "ms",
                    "graph.writes.longest-pause", "60s");
        }
    }

    static final long WINDOW_MILLIS = 4000;
    static final long RELEASE_MILLIS = 1000;
    /** Added to the window by the budget, against Graph seeing commands a little closer than they left. */
    static final long MARGIN_MILLIS = 50;
    static final String TOKEN = Tokens.withRoles("soc@contoso.example", "Lock.Devices");

    @Inject
    DynamoDbClient dynamo;

    @BeforeEach
    void closeBreakersAndWarmUp() {
        CircuitBreakerMaintenance.get().resetAll();
        // A first lock, so that what is measured is the budget, not a cold start (the log is replaced after it).
        lock(android());
    }

    @Test
    void aSingleLockGoesOutAtOnceWhileBatchesHaveTakenAllButTheReserve() {
        long oldest = batchesHaveTakenTheirShare();
        String android = android();

        lock(android);

        long after = sentAt(android).toEpochMilli() - oldest;
        assertTrue(after < WINDOW_MILLIS - RELEASE_MILLIS, "the single lock went out " + after
                + " ms after the batches' writes, as late as a batch's device would");
    }

    @Test
    void aBatchDeviceTakesTheReservedPlaceOnlyOnceTheWindowsOldestWriteIsAboutToLeaveIt() {
        String android = android();
        SqsStandIn.purge();
        long oldest;
        try (SqsEventSourceMapping eventSource = SqsEventSourceMapping.intoQuarkusTest(1)) {
            oldest = batchesHaveTakenTheirShare();
            String batchId = given().header("Authorization", "Bearer " + TOKEN).contentType("application/json")
                    .body("{\"reason\":\"Incident\",\"deviceIds\":[\"" + android + "\"]}")
                    .post("/v1/lock-batches").then().statusCode(202).extract().path("batchId");
            JsonPath batch = BatchProgress.finished(TOKEN, batchId, Duration.ofSeconds(30));
            assertEquals(1, batch.getInt("counts.SENT"), batch::prettify);
        }
        long after = sentAt(android).toEpochMilli() - oldest;
        long released = WINDOW_MILLIS + MARGIN_MILLIS - RELEASE_MILLIS;
        assertTrue(after >= released, "the batch's device went out " + after + " ms after the oldest write, before "
                + "the reserve was released at " + released + " ms");
        assertTrue(after < WINDOW_MILLIS + MARGIN_MILLIS, "the batch's device waited " + after + " ms, until the "
                + "oldest write left the window: the released reserve was not used");
    }

    /** Five writes of the six, just now, as batches on other instances take them; the oldest one's moment. */
    private long batchesHaveTakenTheirShare() {
        long now = System.currentTimeMillis();
        OtherInstances.haveWritten(dynamo, now, now + 1, now + 2, now + 3, now + 4);
        return now;
    }

    private static void lock(String android) {
        SingleLocks.lock(TOKEN, android).statusCode(202).body("status", equalTo("SENT"));
    }

    private static String android() {
        return SingleLocks.android();
    }

    private static Instant sentAt(String device) {
        List<Instant> commands = SingleLocks.commandTimes(device);
        assertEquals(1, commands.size(), "one command for " + device);
        return commands.get(0);
    }
}
