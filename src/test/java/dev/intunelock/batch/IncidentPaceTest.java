package dev.intunelock.batch;

import static dev.intunelock.testing.GraphStubs.newDeviceId;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import dev.intunelock.testing.BatchProgress;
import dev.intunelock.testing.GraphStubs;
import dev.intunelock.testing.LocalStack;
import dev.intunelock.testing.Tokens;
import dev.intunelock.testing.WorkQueueFeed;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * Incident mode at Intune's pace, scaled down for CI: 60 devices in one batch against a Graph stand-in that takes
 * at most 20 writes in any 2 s (Intune's 200 per 20 s, ten times faster) and answers the rest 429 + Retry-After,
 * with the function's write budget at its default share scaled the same way (180 per 20 s: 18 per 2 s). Every device
 * ends locked, each with exactly one accepted command, no answer is a 5xx, and Graph never has to say 429.
 */
@QuarkusTest
@TestProfile(IncidentPaceTest.DefaultWriteBudget.class)
@WithTestResource(LocalStack.class)
class IncidentPaceTest {

    static final int DEVICES = 60;
    static final int INTUNE_WRITES = 20;
    static final long INTUNE_WINDOW_MILLIS = 2000;

    public static class DefaultWriteBudget implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("graph.writes.per-20s", "18", "graph.writes.window", INTUNE_WINDOW_MILLIS + "ms",
                    "graph.writes.longest-pause", "60s");
        }
    }

    @RegisterExtension
    static final WorkQueueFeed QUEUE = new WorkQueueFeed();

    @Test
    void sixtyDevicesAreAllLockedOnceAtIntunesPaceWithNoErrors() {
        List<String> devices = IntStream.range(0, DEVICES).mapToObj(i -> newDeviceId()).toList();
        devices.forEach(id -> {
            GraphStubs.device(id, "android");
            GraphStubs.remoteLockLimited(id, INTUNE_WRITES, INTUNE_WINDOW_MILLIS);
        });
        LocalStack.graphWriteLimit().reset();
        String soc = Tokens.withRoles("soc@contoso.example", "Lock.Devices", "Locks.Bulk");

        Instant requested = Instant.now();
        String batchId = LockBatchApi.start(soc, """
                {"reason":"Incident 4711: compromised office network","deviceIds":%s}""".formatted(
                LockBatchApi.deviceIds(devices.toArray(String[]::new))))
                .statusCode(202).extract().path("batchId");
        JsonPath batch = BatchProgress.finished(soc, batchId, Duration.ofSeconds(90));
        Duration took = Duration.between(requested, Instant.now());

        assertEquals(DEVICES, batch.getInt("counts.SENT"), batch::prettify);
        List<ServeEvent> accepted = LocalStack.graph().getAllServeEvents().stream()
                .filter(event -> event.getRequest().getUrl().endsWith("/remoteLock"))
                .filter(event -> devices.stream().anyMatch(id -> event.getRequest().getUrl().contains(id)))
                .filter(event -> event.getResponse().getStatus() == 204).toList();
        for (String id : devices) {
            assertEquals(1, accepted.stream().filter(event -> event.getRequest().getUrl().contains(id)).count(),
                    "exactly one accepted command for " + id);
        }
        assertEquals(0, QUEUE.failedInvocations(), "no invocation of the function failed");
        assertEquals(0, LocalStack.graphWriteLimit().throttled(), "answers 429 from the Graph stand-in");
        Map<Long, Long> perSlot = accepted.stream().collect(Collectors.groupingBy(
                event -> event.getRequest().getLoggedDate().getTime() / INTUNE_WINDOW_MILLIS, TreeMap::new,
                Collectors.counting()));
        System.out.printf("Incident pace: %d devices locked in %.1f s, %d invocations; accepted per 2 s %s%n",
                DEVICES, took.toMillis() / 1000.0, QUEUE.invocations(), perSlot.values());
    }
}
