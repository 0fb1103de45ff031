package dev.intunelock.intune;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
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

/**
 * Every instance of the function together stays under one Graph write budget, kept in DynamoDB: here 4 remoteLock
 * commands in any 2 s (Intune's window shortened tenfold to keep the test short; the rule is the same).
 */
@QuarkusTest
@TestProfile(GraphWriteBudgetTest.FourWritesPer2Seconds.class)
@WithTestResource(LocalStack.class)
class GraphWriteBudgetTest {

    static final int BUDGET = 4;
    static final long WINDOW_MILLIS = 2000;

    public static class FourWritesPer2Seconds implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // The rest of the suite has no shared pause (its 429 stubs would hold up other tests); this test has it.
            return Map.of("graph.writes.per-20s", Integer.toString(BUDGET), "graph.writes.window",
                    WINDOW_MILLIS + "ms", "graph.writes.longest-pause", "60s");
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
    void locksAskedForTogetherBeyondTheBudgetNeverPutMoreThanItInAnyWindowAndAllAreSent() throws Exception {
        List<String> devices = androids(7);

        AtomicInteger next = new AtomicInteger();
        List<String> statuses = Concurrently.run(devices.size(),
                () -> lock(devices.get(next.getAndIncrement())).statusCode(202).extract().<String>path("status"));

        assertEquals(List.of("SENT", "SENT", "SENT", "SENT", "SENT", "SENT", "SENT"), statuses);
        List<Instant> sent = sendTimes(devices);
        for (int i = 0; i + BUDGET < sent.size(); i++) {
            long apart = sent.get(i + BUDGET).toEpochMilli() - sent.get(i).toEpochMilli();
            assertTrue(apart >= WINDOW_MILLIS, BUDGET + 1 + " commands within " + apart + " ms: " + sent);
        }
    }

    @Test
    void writesOfOtherInstancesCountTooAndAMomentIsNeverGivenTwice() {
        // Other instances have used the whole budget within the last half second, through the same table.
        long now = System.currentTimeMillis();
        OtherInstances.haveWritten(dynamo, now - 500, now - 400, now - 300, now - 200);
        String device = androids(1).get(0);

        lock(device).statusCode(202).body("status", equalTo("SENT"));

        Instant sent = sendTimes(List.of(device)).get(0);
        assertTrue(sent.toEpochMilli() >= now - 500 + WINDOW_MILLIS, "sent at " + sent + ", "
                + (sent.toEpochMilli() - now + 500) + " ms after the oldest of the window's 4 other commands");
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
            devices.add(SingleLocks.android());
        }
        return devices;
    }

    private ValidatableResponse lock(String device) {
        return SingleLocks.lock(token, device);
    }

    /** When Graph received each device's (last) remoteLock, earliest first. */
    private static List<Instant> sendTimes(List<String> devices) {
        List<Instant> times = new ArrayList<>();
        for (String device : devices) {
            List<Instant> commands = SingleLocks.commandTimes(device);
            times.add(commands.get(commands.size() - 1));
        }
        times.sort(Comparator.naturalOrder());
        return times;
    }
}
