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

import dev.intunelock.testing.BatchProgress;
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
 * take 5 until the slot's last 500 ms. Slots filled to the batches' share (as running batches would fill them,
 * through the same table) still let a single lock out at once; a batch's device takes a reserved place only once
 * the slot has released it.
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
    void aBatchDeviceTakesTheUrgentReserveOnlyInTheSlotsLastQuarter() {
        Instant firstWithRoom = fillBulkShareOfSlots(3);
        String android = android();
        SqsStandIn.purge();
        try (SqsEventSourceMapping eventSource = SqsEventSourceMapping.intoQuarkusTest(1)) {
            String batchId = given().header("Authorization", "Bearer " + TOKEN).contentType("application/json")
                    .body("{\"reason\":\"Incident\",\"deviceIds\":[\"" + android + "\"]}")
                    .post("/v1/lock-batches").then().statusCode(202).extract().path("batchId");
            JsonPath batch = BatchProgress.finished(TOKEN, batchId, Duration.ofSeconds(30));
            assertEquals(1, batch.getInt("counts.SENT"), batch::prettify);
        }
        // Every slot until firstWithRoom is full for bulk: the device can only have taken a reserved place the slot
        // released in its last 500 ms (its command may reach Graph a few ms into the next slot).
        Instant sent = sentAt(android);
        long intoSlot = sent.toEpochMilli() - GraphWriteBudget.slotOf(sent).toEpochMilli();
        long releasedFrom = GraphWriteBudget.SLOT.minus(GraphWriteBudget.RESERVE_RELEASE).toMillis();
        assertTrue(sent.isBefore(firstWithRoom), "the released reserve was not used: sent at " + sent);
        assertTrue(intoSlot >= releasedFrom || intoSlot < 100, "the batch's device went out " + intoSlot
                + " ms into a slot full for bulk, before its reserve was released at " + releasedFrom + " ms");
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
