package dev.intunelock.intune;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.intunelock.testing.Concurrently;
import dev.intunelock.testing.GraphStubs;
import dev.intunelock.testing.LocalStack;
import dev.intunelock.testing.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Every instance of the function together stays under one Graph write budget, kept in DynamoDB: here 10 remoteLock
 * commands per 20 s, so one per 2 s slot.
 */
@QuarkusTest
@TestProfile(GraphWriteBudgetTest.TenWritesPer20Seconds.class)
@WithTestResource(LocalStack.class)
class GraphWriteBudgetTest {

    public static class TenWritesPer20Seconds implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // The rest of the suite has no shared pause (its 429 stubs would hold up other tests); this test has it.
            return Map.of("graph.writes.per-20s", "10", "graph.writes.longest-pause", "60s");
        }
    }

    final String token = Tokens.withRoles("soc@contoso.example", "Lock.Devices");

    @Inject
    DynamoDbClient dynamo;

    @BeforeEach
    void closeBreakers() {
        CircuitBreakerMaintenance.get().resetAll();
    }

    @Test
    void locksRequestedTogetherGoOutOnePerSlotAndAllAreSent() throws Exception {
        List<String> devices = androids(4);

        AtomicInteger next = new AtomicInteger();
        List<String> statuses = Concurrently.run(devices.size(),
                () -> lock(devices.get(next.getAndIncrement())).statusCode(202).extract().<String>path("status"));

        assertEquals(List.of("SENT", "SENT", "SENT", "SENT"), statuses);
        List<Instant> sent = sendTimes(devices);
        assertTrue(sent.get(3).toEpochMilli() - sent.get(0).toEpochMilli() >= 4000,
                "four commands with one place per 2 s slot cannot go out within 4 s: " + sent);
    }

    @Test
    void aSlotFilledByAnotherInstanceIsNotUsedAgain() {
        // Another instance has used up this slot and the next two, as it would through the same table.
        Instant now = Instant.now();
        Instant firstFree = GraphWriteBudget.slotOf(now).plus(GraphWriteBudget.SLOT.multipliedBy(3));
        for (Instant slot = GraphWriteBudget.slotOf(now); slot.isBefore(firstFree);
                slot = slot.plus(GraphWriteBudget.SLOT)) {
            fill(slot);
        }
        String device = androids(1).get(0);

        lock(device).statusCode(202).body("status", equalTo("SENT"));

        Instant sent = sendTimes(List.of(device)).get(0);
        assertTrue(!sent.isBefore(firstFree), "sent at " + sent + ", before the first free slot " + firstFree);
    }

    @Test
    void aGraph429ThatOutlastsTheRetriesHoldsBackEveryInstancesWritesForItsRetryAfter() {
        String throttled = androids(1).get(0);
        GraphStubs.remoteLockAnswers(throttled, GraphStubs.graphError(429, "TooManyRequests", "Too many requests",
                "req-429").withHeader("Retry-After", "4"));
        String other = androids(1).get(0);

        lock(throttled).statusCode(202).body("status", equalTo("PENDING"))
                .body("error.code", equalTo("TooManyRequests"));
        List<LoggedRequest> throttledCommands = LocalStack.graph().findAll(
                postRequestedFor(urlEqualTo(GraphStubs.LOCK_COMMANDS + throttled + "/remoteLock")));
        Instant last429 = throttledCommands.get(throttledCommands.size() - 1).getLoggedDate().toInstant();
        lock(other).statusCode(202).body("status", equalTo("SENT"));

        Instant otherSent = sendTimes(List.of(other)).get(0);
        assertTrue(otherSent.toEpochMilli() - last429.toEpochMilli() >= 4000,
                "another device's command went out " + (otherSent.toEpochMilli() - last429.toEpochMilli())
                        + " ms after Graph's last 429 asked for 4 s");
    }

    private List<String> androids(int count) {
        List<String> devices = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String device = GraphStubs.newDeviceId();
            GraphStubs.device(device, "android");
            GraphStubs.remoteLockAccepted(device);
            devices.add(device);
        }
        return devices;
    }

    private ValidatableResponse lock(String device) {
        return given().header("Authorization", "Bearer " + token).contentType("application/json")
                .body("{\"deviceId\":\"" + device + "\",\"reason\":\"Compromised account\"}")
                .post("/v1/locks").then();
    }

    /** When Graph received each device's (last) remoteLock, earliest first. */
    private static List<Instant> sendTimes(List<String> devices) {
        List<Instant> times = new ArrayList<>();
        for (String device : devices) {
            List<LoggedRequest> commands = LocalStack.graph().findAll(
                    postRequestedFor(urlEqualTo(GraphStubs.LOCK_COMMANDS + device + "/remoteLock")));
            times.add(commands.get(commands.size() - 1).getLoggedDate().toInstant());
        }
        times.sort(Comparator.naturalOrder());
        return times;
    }

    private void fill(Instant slot) {
        dynamo.putItem(put -> put.tableName("LocksTable").item(Map.of(
                "pk", AttributeValue.fromS("GRAPH_WRITES"),
                "sk", AttributeValue.fromS("SLOT#" + slot.getEpochSecond()),
                "taken", AttributeValue.fromN("1"))));
    }
}
