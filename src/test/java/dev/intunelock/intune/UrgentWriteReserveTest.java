package dev.intunelock.intune;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
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

import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.intunelock.testing.ApiGatewayEvents;
import dev.intunelock.testing.GraphStubs;
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
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The urgent reserve of the Graph write budget: here 60 writes per 20 s, so 6 per 2 s slot, of which batches may
 * take 5. Slots filled to the batches' share (as running batches would fill them, through the same table) still
 * let a single lock out at once; a batch's device waits for a slot with room for bulk.
 */
@QuarkusTest
@TestProfile(UrgentWriteReserveTest.SixWritesPerSlot.class)
@WithTestResource(LocalStack.class)
class UrgentWriteReserveTest {

    public static class SixWritesPerSlot implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("graph.writes.per-20s", "60", "graph.writes.longest-pause", "60s");
        }
    }

    static final int BULK_SHARE = 5;
    static final String TOKEN = Tokens.withRoles("soc@contoso.example", "Lock.Devices");

    @Inject
    DynamoDbClient dynamo;

    @BeforeEach
    void closeBreakers() {
        CircuitBreakerMaintenance.get().resetAll();
    }

    @Test
    void aSingleLockGoesOutAtOnceWhileBatchesHaveTakenTheirShareOfEverySlot() {
        Instant filledUntil = fillBulkShareOfSlots(5);
        String android = android();

        given().header("Authorization", "Bearer " + TOKEN).contentType("application/json")
                .body("{\"deviceId\":\"" + android + "\",\"reason\":\"Reported stolen\"}")
                .post("/v1/locks").then().statusCode(202).body("status", equalTo("SENT"));

        assertTrue(sentAt(android).isBefore(filledUntil), "the urgent lock went out at " + sentAt(android)
                + ", not before the batches' slots ended at " + filledUntil);
    }

    @Test
    void aBatchDeviceLeavesTheUrgentReserveAloneAndWaitsForRoom() throws InterruptedException {
        Instant firstWithRoom = fillBulkShareOfSlots(3);
        String android = android();
        SqsStandIn.purge();
        try (SqsEventSourceMapping eventSource = SqsEventSourceMapping.intoQuarkusTest(1)) {
            String batchId = given().header("Authorization", "Bearer " + TOKEN).contentType("application/json")
                    .body("{\"reason\":\"Incident\",\"deviceIds\":[\"" + android + "\"]}")
                    .post("/v1/lock-batches").then().statusCode(202).extract().path("batchId");
            JsonPath batch;
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            do {
                Thread.sleep(100);
                batch = ApiGatewayEvents.get("/v1/lock-batches/" + batchId, Map.of("authorization", "Bearer " + TOKEN))
                        .body();
            } while (!"FINISHED".equals(batch.getString("status")) && System.nanoTime() < end);
            assertEquals(1, batch.getInt("counts.SENT"), batch::prettify);
        }
        assertTrue(!sentAt(android).isBefore(firstWithRoom), "the batch's device went out at " + sentAt(android)
                + ", inside the urgent reserve of slots full for bulk until " + firstWithRoom);
    }

    /** Fills the bulk share of this slot and the next ones; returns the start of the first slot left alone. */
    private Instant fillBulkShareOfSlots(int count) {
        Instant first = GraphWriteBudget.slotOf(Instant.now());
        Instant end = first.plus(GraphWriteBudget.SLOT.multipliedBy(count));
        for (Instant slot = first; slot.isBefore(end); slot = slot.plus(GraphWriteBudget.SLOT)) {
            Instant filled = slot;
            dynamo.putItem(put -> put.tableName("LocksTable").item(Map.of(
                    "pk", AttributeValue.fromS("GRAPH_WRITES"),
                    "sk", AttributeValue.fromS("SLOT#" + filled.getEpochSecond()),
                    "taken", AttributeValue.fromN(Integer.toString(BULK_SHARE)))));
        }
        return end;
    }

    private static String android() {
        String device = GraphStubs.newDeviceId();
        GraphStubs.device(device, "android");
        GraphStubs.remoteLockAccepted(device);
        return device;
    }

    private static Instant sentAt(String device) {
        List<LoggedRequest> commands = LocalStack.graph().findAll(
                postRequestedFor(urlEqualTo(GraphStubs.LOCK_COMMANDS + device + "/remoteLock")));
        assertEquals(1, commands.size(), "one command for " + device);
        return commands.get(0).getLoggedDate().toInstant();
    }
}
