package dev.intunelock.selfservice;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.intunelock.selfservice.SelfServiceApi.lock;
import static dev.intunelock.selfservice.SelfServiceApi.newEmployee;
import static dev.intunelock.selfservice.SelfServiceApi.ownDevice;
import static dev.intunelock.testing.GraphStubs.deviceOf;
import static dev.intunelock.testing.GraphStubs.newDeviceId;
import static dev.intunelock.testing.GraphStubs.remoteLockCalls;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.intunelock.storage.SlotCounters;
import dev.intunelock.testing.Concurrently;
import dev.intunelock.testing.GraphStubs;
import dev.intunelock.testing.LocalStack;
import dev.intunelock.testing.Tokens;
import dev.intunelock.testing.TestClock;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The per-user lock limit: three self-service lock attempts per user and clock hour, counted in DynamoDB. */
@QuarkusTest
@WithTestResource(LocalStack.class)
class PerUserLockLimitTest {

    static final Instant QUARTER_PAST_TEN = Instant.parse("2026-11-25T10:15:00Z");

    @Inject
    TestClock clock;

    @Inject
    DynamoDbClient dynamo;

    @AfterEach
    void realTime() {
        clock.reset();
    }

    @Test
    void theFourthLockWithinTheHourIs429WithRetryAfterAndNothingIsSent() {
        clock.setNow(QUARTER_PAST_TEN);
        String me = newEmployee();
        for (int i = 0; i < 3; i++) {
            lock(me, ownPhone(me)).statusCode(202);
        }
        String fourth = ownPhone(me);

        String retryAfter = lock(me, fourth).statusCode(429)
                .contentType("application/problem+json")
                .body("type", equalTo("https://intune-lock.dev/problems/self-service-lock-limit"))
                .body("limit", equalTo(3))
                .body("retryAt", equalTo("2026-11-25T11:00:00Z"))
                .extract().header("Retry-After");

        long seconds = Long.parseLong(retryAfter);
        assertEquals(45 * 60, seconds, 30, "until the window ends: " + seconds);
        assertEquals(0, remoteLockCalls(fourth));
        assertEquals(0, graphReadsOf(fourth), "a refused attempt costs no Graph call");
    }

    @Test
    void theAllowanceComesBackWhenTheHourTurns() {
        clock.setNow(Instant.parse("2026-11-25T10:59:50Z"));
        String me = newEmployee();
        for (int i = 0; i < 3; i++) {
            lock(me, ownPhone(me)).statusCode(202);
        }
        lock(me, ownPhone(me)).statusCode(429);

        clock.setNow(Instant.parse("2026-11-25T11:00:01Z"));
        lock(me, ownPhone(me)).statusCode(202);
    }

    @Test
    void theLimitIsPerUser() {
        clock.setNow(QUARTER_PAST_TEN);
        String me = newEmployee();
        String colleague = newEmployee();
        for (int i = 0; i < 3; i++) {
            lock(me, ownPhone(me)).statusCode(202);
        }
        lock(me, ownPhone(me)).statusCode(429);

        lock(colleague, ownPhone(colleague)).statusCode(202);
        lock(me.toUpperCase(), ownPhone(me)).statusCode(429); // the same user, whatever the case of the UPN
    }

    @Test
    void refusedAttemptsCountTooSoProbingIsCapped() {
        clock.setNow(QUARTER_PAST_TEN);
        String me = newEmployee();
        String theirs = newDeviceId();
        deviceOf("colleague@contoso.example", theirs, "iPhone", "Colleague's iPhone");
        for (int i = 0; i < 3; i++) {
            lock(me, theirs).statusCode(403);
        }
        lock(me, ownPhone(me)).statusCode(429);
    }

    @Test
    void simultaneousAttemptsCannotExceedTheLimit() throws Exception {
        clock.setNow(QUARTER_PAST_TEN);
        String me = newEmployee();
        List<String> phones = List.of(ownPhone(me), ownPhone(me), ownPhone(me), ownPhone(me), ownPhone(me),
                ownPhone(me));
        AtomicInteger next = new AtomicInteger();

        List<Integer> statuses = Concurrently.run(6,
                () -> lock(me, phones.get(next.getAndIncrement())).extract().statusCode());

        assertEquals(3, statuses.stream().filter(s -> s == 202).count(), "statuses: " + statuses);
        assertEquals(3, statuses.stream().filter(s -> s == 429).count(), "statuses: " + statuses);
        assertEquals(3, phones.stream().mapToInt(GraphStubs::remoteLockCalls).sum());
    }

    @Test
    void theCountIsKeptInTheLocksTableAndExpiresWithItsWindow() {
        clock.setNow(QUARTER_PAST_TEN);
        String me = newEmployee();
        lock(me, ownPhone(me)).statusCode(202);
        lock(me, ownPhone(me)).statusCode(202);

        Map<String, AttributeValue> counter = dynamo.getItem(r -> r.tableName("LocksTable").consistentRead(true)
                .key(SlotCounters.key(PerUserLockLimit.counter(Tokens.objectIdOf(me)),
                        Instant.parse("2026-11-25T10:00:00Z")))).item();

        assertEquals("2", counter.get(SlotCounters.COUNT).n());
        assertEquals(String.valueOf(Instant.parse("2026-11-25T11:00:00Z").getEpochSecond()),
                counter.get("ttlEpochSeconds").n(), "the table's TTL attribute, in epoch seconds");
    }

    private static String ownPhone(String owner) {
        return ownDevice(owner, "iPhone", "An iPhone");
    }

    private static int graphReadsOf(String deviceId) {
        return LocalStack.graph().countRequestsMatching(
                getRequestedFor(urlPathEqualTo(GraphStubs.DEVICES + deviceId)).build()).getCount();
    }
}
