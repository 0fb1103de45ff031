package dev.intunelock.batch;

import static dev.intunelock.batch.LockBatchApi.deviceIds;
import static dev.intunelock.batch.LockBatchApi.start;
import static dev.intunelock.testing.BatchProgress.finished;
import static dev.intunelock.testing.GraphStubs.deviceJson;
import static dev.intunelock.testing.GraphStubs.newDeviceId;
import static dev.intunelock.testing.GraphStubs.remoteLockCalls;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.github.tomakehurst.wiremock.client.WireMock;

import dev.intunelock.testing.GraphStubs;
import dev.intunelock.testing.LocalStack;
import dev.intunelock.testing.Tokens;
import dev.intunelock.testing.WorkQueueFeed;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;

/**
 * Batches of the size incidents bring, end to end: the API over the Lambda event path, the work through the SQS event
 * source mapping, each device's lock against the Graph stand-in, and every AWS call held to template.yaml's policy
 * (testing/iam: a call the deployed function would be denied fails the test). Graph lists a user's devices in pages.
 */
@QuarkusTest
@WithTestResource(LocalStack.class)
class LargeBatchTest {

    private static final Duration LONG_ENOUGH = Duration.ofSeconds(120);

    @RegisterExtension
    static final WorkQueueFeed QUEUE = new WorkQueueFeed();

    @BeforeEach
    void closeBreakers() {
        CircuitBreakerMaintenance.get().resetAll();
    }

    private static String soc() {
        return Tokens.withRoles("soc@contoso.example", "Lock.Devices", "Locks.Bulk");
    }

    private static List<String> lockableDevices(int count) {
        List<String> ids = IntStream.range(0, count).mapToObj(i -> newDeviceId()).toList();
        ids.forEach(id -> GraphStubs.listsAfterLock(id, "android"));
        return ids;
    }

    private static List<String> listed(List<String> ids) {
        return ids.stream().map(id -> deviceJson(id, "android")).toList();
    }

    @Test
    void aUsersHundredsOfDevicesOverSeveralPagesAndBatchesOfIdsAndSerialNumbersAreEachLockedExactlyOnce() {
        String upn = "enrolment-" + UUID.randomUUID() + "@contoso.example";
        List<String> usersDevices = lockableDevices(250);
        GraphStubs.devicesListedForUpnInPages(upn, 100, listed(usersDevices));
        List<String> byId = lockableDevices(100);
        String throttled = byId.get(0);
        GraphStubs.remoteLockThrottledThenAccepts(throttled, 4); // past the call's retries: its work comes back later
        List<String> bySerial = lockableDevices(100);
        List<String> serials = bySerial.stream().map(id -> "SN-" + id.substring(0, 8).toUpperCase()).toList();
        IntStream.range(0, bySerial.size()).forEach(i -> GraphStubs.devicesWhere(
                "serialNumber eq '" + serials.get(i) + "'", deviceJson(bySerial.get(i), "android")));

        String userBatch = start(soc(), """
                {"reason":"Enrolment account compromised","user":"%s"}""".formatted(upn))
                .statusCode(202).body("total", equalTo(250)).extract().path("batchId");
        String idBatch = start(soc(), """
                {"reason":"Stolen shipment","deviceIds":%s}""".formatted(deviceIds(byId.toArray(String[]::new))))
                .statusCode(202).body("total", equalTo(100)).extract().path("batchId");
        String serialBatch = start(soc(), """
                {"reason":"Stolen shipment","serialNumbers":["%s"]}""".formatted(String.join("\",\"", serials)))
                .statusCode(202).body("total", equalTo(100)).extract().path("batchId");

        for (String batchId : List.of(userBatch, idBatch, serialBatch)) {
            JsonPath batch = finished(soc(), batchId, LONG_ENOUGH);
            assertEquals(batch.getInt("total"), batch.getInt("counts.SENT"), batch::prettify);
        }
        for (List<String> devices : List.of(usersDevices, byId, bySerial)) {
            devices.stream().filter(id -> !id.equals(throttled)).forEach(id -> assertEquals(1, remoteLockCalls(id), id));
        }
        assertEquals(4 + 1, remoteLockCalls(throttled), "throttled four times, then accepted once");
        assertEquals(0, QUEUE.failedInvocations());
    }

    @Test
    void aUserWithAThousandDevicesOverSeveralPagesIsReadToTheLastPage() {
        String upn = "kiosk-" + UUID.randomUUID() + "@contoso.example";
        List<String> ids = IntStream.range(0, 1000).mapToObj(i -> newDeviceId()).toList();
        GraphStubs.devicesListedForUpnInPages(upn, 300, listed(ids));

        String batchId = start(soc(), """
                {"reason":"What would a kiosk account's batch do","dryRun":true,"user":"%s"}""".formatted(upn))
                .statusCode(202).body("total", equalTo(1000)).extract().path("batchId");

        JsonPath batch = finished(soc(), batchId, LONG_ENOUGH);
        assertEquals(1000, batch.getInt("counts.WOULD_LOCK"), batch::prettify);
        ids.forEach(id -> assertEquals(0, remoteLockCalls(id)));
    }

    @Test
    void aUserWithMoreDevicesThanABatchHoldsIsRefusedWithoutReadingEveryPage() {
        String upn = "fleet-" + UUID.randomUUID() + "@contoso.example";
        GraphStubs.devicesListedForUpnInPages(upn, 400,
                listed(IntStream.range(0, 2000).mapToObj(i -> newDeviceId()).toList()));

        start(soc(), """
                {"reason":"Too many","user":"%s"}""".formatted(upn))
                .statusCode(400).contentType("application/problem+json")
                .body("violations[0]", containsString("more than 1000 managed devices"));
        // 1,200 devices read: past the most a batch holds, so the last two pages were never asked for.
        assertEquals(3, LocalStack.graph().findAll(WireMock.getRequestedFor(
                WireMock.urlPathEqualTo("/beta/deviceManagement/managedDevices"))
                .withQueryParam("$filter", WireMock.equalTo("userPrincipalName eq '" + upn + "'"))).size());
    }

    @Test
    void aNextPageLinkAwayFromGraphIsNotFollowedAndNothingIsRecorded() {
        String upn = "redirected-" + UUID.randomUUID() + "@contoso.example";
        String filter = "userPrincipalName eq '" + upn + "'";
        LocalStack.graph().stubFor(WireMock.get(WireMock.urlPathEqualTo("/beta/deviceManagement/managedDevices"))
                .withQueryParam("$filter", WireMock.equalTo(filter))
                .willReturn(WireMock.okJson("""
                        {"value":[%s],"@odata.nextLink":"https://graph.example.net/beta/deviceManagement/managedDevices?$skiptoken=x"}"""
                        .formatted(deviceJson(newDeviceId(), "android")))));

        start(soc(), """
                {"reason":"Compromised account","user":"%s"}""".formatted(upn))
                .statusCode(503).contentType("application/problem+json")
                .body("type", containsString("intune-unavailable"))
                .body("detail", containsString("no batch was recorded"));
    }
}
