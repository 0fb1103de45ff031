package dev.intunelock.batch;

import static dev.intunelock.testing.BatchProgress.finished;
import static dev.intunelock.batch.LockBatchApi.deviceIds;
import static dev.intunelock.batch.LockBatchApi.lock;
import static dev.intunelock.batch.LockBatchApi.start;
import static dev.intunelock.testing.GraphStubs.deviceJson;
import static dev.intunelock.testing.GraphStubs.macLockResult;
import static dev.intunelock.testing.GraphStubs.newDeviceId;
import static dev.intunelock.testing.GraphStubs.remoteLockCalls;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.github.tomakehurst.wiremock.client.WireMock;

import dev.intunelock.testing.ApiGatewayEvents;
import dev.intunelock.testing.BatchProgress;
import dev.intunelock.testing.GraphStubs;
import dev.intunelock.testing.LocalStack;
import dev.intunelock.testing.TestClock;
import dev.intunelock.testing.TestPins;
import dev.intunelock.testing.Tokens;
import dev.intunelock.testing.WorkQueueFeed;
import dev.intunelock.testing.iam.CallLedger;
import dev.intunelock.testing.iam.WithdrawnGrant;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Lock batches through the whole path: the API records the batch and queues each device (ElasticMQ), Lambda's SQS
 * event source mapping (done by the tests) hands the work back through the Lambda event path, and each device gets
 * an ordinary lock against the Graph stand-in.
 */
@QuarkusTest
@WithTestResource(LocalStack.class)
class LockBatchTest {

    private static final Duration SOON = Duration.ofSeconds(30);

    @Inject
    DynamoDbClient dynamo;
    @Inject
    TestClock clock;
    @RegisterExtension
    static final WorkQueueFeed QUEUE = new WorkQueueFeed();

    @BeforeEach
    void closeBreakers() {
        CircuitBreakerMaintenance.get().resetAll(); // earlier tests of this app may have left one open
    }

    private static String soc() {
        return Tokens.withRoles("soc@contoso.example", "Lock.Devices", "Locks.Bulk");
    }

    @Test
    void everyDeviceOfABatchGetsAnOrdinaryLockSentOnceAndTheBatchFinishes() {
        String iphone = newDeviceId();
        String android = newDeviceId();
        String desktop = newDeviceId();
        GraphStubs.listsAfterLock(iphone, "iPhone");
        GraphStubs.listsAfterLock(android, "android");
        GraphStubs.device(desktop, "desktop");

        String location = start(soc(), """
                {"reason":"Break-in at the Lyon office","deviceIds":%s}""".formatted(
                deviceIds(iphone, android, desktop)))
                .statusCode(202).body("status", equalTo("RUNNING")).body("total", equalTo(3))
                .body("counts.QUEUED", equalTo(3))
                .header("Location", matchesPattern("/v1/lock-batches/[0-9a-f-]{36}")).extract().header("Location");
        String batchId = location.substring(location.lastIndexOf('/') + 1);

        JsonPath batch = finished(soc(), batchId, SOON);
        assertEquals(2, batch.getInt("counts.SENT"));
        assertEquals(1, batch.getInt("counts.REFUSED"));
        assertNotNull(batch.getString("finishedAt"));
        assertEquals(0, batch.getInt("estimatedSecondsLeft"));
        JsonPath refused = LockBatchApi.device(batch, desktop);
        assertEquals("platformNotSupported", refused.getString("code"));
        assertEquals("WINDOWS_DESKTOP", refused.getString("platform"));
        for (String sent : List.of(iphone, android)) {
            String lockId = LockBatchApi.device(batch, sent).getString("lockId");
            given().header("Authorization", "Bearer " + soc()).get("/v1/locks/" + lockId).then().statusCode(200)
                    .body("deviceId", equalTo(sent)).body("status", equalTo("SENT"))
                    .body("source", equalTo("batch:" + batchId)).body("reason", equalTo("Break-in at the Lyon office"))
                    .body("requestedBy", equalTo("soc@contoso.example"));
            assertEquals(1, remoteLockCalls(sent));
        }
        assertEquals(0, remoteLockCalls(desktop));
        given().header("Authorization", "Bearer " + Tokens.withRoles("auditor@contoso.example", "Audit.Read"))
                .get("/v1/devices/" + iphone + "/audit").then().statusCode(200)
                .body("events.channel", hasItem("batch:" + batchId));
    }

    @Test
    void aBatchWhoseWorkTheQueueCouldNotTakeIsRecordedAndQueuedByTheRetrySweep() throws InterruptedException {
        String android = newDeviceId();
        GraphStubs.listsAfterLock(android, "android");
        String batchId;
        LocalStack.sqsLink().cut();
        try {
            batchId = start(soc(), "{\"reason\":\"Queue down\",\"deviceIds\":" + deviceIds(android) + "}")
                    .statusCode(202).body("status", equalTo("RUNNING")).extract().path("batchId");
        } finally {
            LocalStack.sqsLink().restore();
        }
        Thread.sleep(2000);
        assertEquals(0, remoteLockCalls(android), "nothing can be worked on before it is queued");
        assertEquals(1, running(batchId).getInt("counts.QUEUED"));

        sweep(Duration.ofMinutes(2)).body("batchesQueued", greaterThanOrEqualTo(1));

        JsonPath batch = finished(soc(), batchId, SOON);
        assertEquals("SENT", LockBatchApi.device(batch, android).getString("state"));
        assertEquals(1, remoteLockCalls(android));
    }

    @Test
    void aBatchWhoseDevicesTheStoreFailedToRecordIsCompletedByTheRetrySweep() {
        // What a request leaves when DynamoDB fails after the batch is recorded: the batch and the names of its
        // devices, one device recorded (but not queued), the other not even that.
        String recorded = newDeviceId();
        String unrecorded = newDeviceId();
        GraphStubs.listsAfterLock(recorded, "android");
        GraphStubs.listsAfterLock(unrecorded, "iPhone");
        String batchId = stalledBatch("Store failed midway", Instant.now().minus(Duration.ofMinutes(2)),
                List.of(recorded, unrecorded));
        recordedDevice(batchId, recorded, "QUEUED", null);
        JsonPath before = running(batchId);
        assertEquals(2, before.getInt("counts.QUEUED"), before::prettify);

        sweep(Duration.ZERO).body("batchesQueued", greaterThanOrEqualTo(1));

        JsonPath batch = finished(soc(), batchId, SOON);
        assertEquals(2, batch.getInt("counts.SENT"), batch::prettify);
        assertEquals(1, remoteLockCalls(recorded));
        assertEquals(1, remoteLockCalls(unrecorded));
    }

    /**
     * What a request leaves when DynamoDB or SQS fails after the batch is recorded: the batch, waiting in the sweep's
     * list since {@code created}, and the names of its devices (none of them recorded: {@link #recordedDevice}).
     */
    private String stalledBatch(String reason, Instant created, List<String> deviceIds) {
        String batchId = UUID.randomUUID().toString();
        dynamo.putItem(put -> put.tableName("LocksTable").item(Map.of(
                "pk", AttributeValue.fromS("BATCH#" + batchId), "sk", AttributeValue.fromS("TARGETS"),
                "batchId", AttributeValue.fromS(batchId),
                "keys", AttributeValue.fromS(deviceIds.stream().map(id -> "DEVICE#" + id)
                        .collect(Collectors.joining(" "))),
                "createdAt", AttributeValue.fromS(created.toString()))));
        dynamo.putItem(put -> put.tableName("LocksTable").item(Map.ofEntries(
                Map.entry("pk", AttributeValue.fromS("BATCH#" + batchId)),
                Map.entry("sk", AttributeValue.fromS("BATCH")), Map.entry("batchId", AttributeValue.fromS(batchId)),
                Map.entry("requestedBy", AttributeValue.fromS("soc@contoso.example")),
                Map.entry("reason", AttributeValue.fromS(reason)),
                Map.entry("targetKind", AttributeValue.fromS("deviceIds")),
                Map.entry("platforms", AttributeValue.fromS("ANDROID,ANDROID_ENTERPRISE,IOS,MACOS,WINDOWS_MOBILE")),
                Map.entry("dryRun", AttributeValue.fromBool(false)),
                Map.entry("total", AttributeValue.fromN("" + deviceIds.size())),
                Map.entry("createdAt", AttributeValue.fromS(created.toString())),
                Map.entry("retryQueue", AttributeValue.fromS("BATCH")),
                Map.entry("nextAttemptAt", AttributeValue.fromS(created.plus(Duration.ofMinutes(1)).toString())))));
        return batchId;
    }

    /** A device of a stalled batch as recorded, in {@code state}, with its lock if a worker had begun on it. */
    private void recordedDevice(String batchId, String deviceId, String state, String lockId) {
        Map<String, AttributeValue> item = new java.util.HashMap<>(Map.of(
                "pk", AttributeValue.fromS("BATCH#" + batchId), "sk", AttributeValue.fromS("DEVICE#" + deviceId),
                "batchId", AttributeValue.fromS(batchId), "deviceId", AttributeValue.fromS(deviceId),
                "state", AttributeValue.fromS(state), "updatedAt", AttributeValue.fromS(Instant.now().toString())));
        if (lockId != null) {
            item.put("lockId", AttributeValue.fromS(lockId));
            item.put("lockStatus", AttributeValue.fromS("PENDING"));
        }
        dynamo.putItem(put -> put.tableName("LocksTable").item(item));
    }

    @Test
    void aBatchWhoseWorkCannotBeQueuedWithinFifteenMinutesEndsFailedWithTheReasonAndNothingIsSent()
            throws InterruptedException {
        String android = newDeviceId();
        String iphone = newDeviceId();
        GraphStubs.listsAfterLock(android, "android");
        GraphStubs.listsAfterLock(iphone, "iPhone");
        String batchId;
        LocalStack.sqsLink().cut();
        try {
            batchId = start(soc(), "{\"reason\":\"Queue down for good\",\"deviceIds\":" + deviceIds(android, iphone)
                    + "}").statusCode(202).body("status", equalTo("RUNNING")).extract().path("batchId");
            sweep(Duration.ofMinutes(2)).body("batchesGivenUp", equalTo(0));
            assertEquals(2, running(batchId).getInt("counts.QUEUED"), "still tried within the bound");

            sweep(Duration.ofMinutes(16)).body("batchesGivenUp", greaterThanOrEqualTo(1));
        } finally {
            LocalStack.sqsLink().restore();
        }

        JsonPath batch = BatchProgress.read(soc(), batchId);
        assertEquals("FINISHED", batch.getString("status"), batch::prettify);
        assertEquals(2, batch.getInt("counts.FAILED"), batch::prettify);
        for (String device : List.of(android, iphone)) {
            JsonPath failed = LockBatchApi.device(batch, device);
            assertEquals("FAILED", failed.getString("state"));
            assertEquals("notQueued", failed.getString("code"));
            assertTrue(failed.getString("message").contains("nothing was sent to this device"), failed::prettify);
        }
        // Given up is over: a later sweep, with the queue back, does not send anything for it.
        sweep(Duration.ofMinutes(20));
        Thread.sleep(1500);
        for (String device : List.of(android, iphone)) {
            assertEquals(0, remoteLockCalls(device));
        }
        assertEquals("FINISHED", BatchProgress.read(soc(), batchId).getString("status"));
    }

    @Test
    void aBatchWhoseDeviceRecordsAwsDeniesEndsFailedNotRunning() {
        String android = newDeviceId();
        String iphone = newDeviceId();
        GraphStubs.listsAfterLock(android, "android");
        GraphStubs.listsAfterLock(iphone, "iPhone");
        long mark = CallLedger.mark();
        String batchId;
        try (WithdrawnGrant denied = WithdrawnGrant.of("BatchDeviceItems")) {
            batchId = start(soc(), "{\"reason\":\"Permission lost\",\"deviceIds\":" + deviceIds(android, iphone)
                    + "}").statusCode(202).extract().path("batchId");
            sweep(Duration.ofMinutes(2)).body("errors", greaterThanOrEqualTo(1));
            assertEquals(2, running(batchId).getInt("counts.QUEUED"), "still tried within the bound");
            sweep(Duration.ofMinutes(16)).body("batchesGivenUp", greaterThanOrEqualTo(1));
        }
        assertTrue(CallLedger.deniedSince(mark).stream().anyMatch(entry -> entry.withdrawn()
                && entry.call().action().equals("dynamodb:BatchWriteItem")), "AWS denied recording the devices");

        JsonPath batch = BatchProgress.read(soc(), batchId);
        assertEquals("FINISHED", batch.getString("status"), batch::prettify);
        assertEquals(2, batch.getInt("counts.FAILED"), batch::prettify);
        assertEquals("notQueued", LockBatchApi.device(batch, android).getString("code"));
        assertEquals(0, remoteLockCalls(android));
        assertEquals(0, remoteLockCalls(iphone));
    }

    @Test
    void givingUpABatchLeavesEveryDeviceAWorkerHadBegunOnToItsLock() {
        String begun = newDeviceId();
        String queued = newDeviceId();
        String unrecorded = newDeviceId();
        String batchId = stalledBatch("Half queued", Instant.now().minus(Duration.ofMinutes(16)),
                List.of(begun, queued, unrecorded));
        recordedDevice(batchId, begun, "LOCKING", UUID.randomUUID().toString());
        recordedDevice(batchId, queued, "QUEUED", null);

        sweep(Duration.ZERO).body("batchesGivenUp", greaterThanOrEqualTo(1));

        JsonPath batch = BatchProgress.read(soc(), batchId);
        assertEquals("LOCKING", LockBatchApi.device(batch, begun).getString("state"), batch::prettify);
        for (String notBegun : List.of(queued, unrecorded)) {
            assertEquals("notQueued", LockBatchApi.device(batch, notBegun).getString("code"), batch::prettify);
        }
        assertEquals(2, batch.getInt("counts.FAILED"));
        assertEquals("RUNNING", batch.getString("status"), "its begun device's lock still decides");
    }

    /** The batch, still running. */
    private static JsonPath running(String batchId) {
        JsonPath batch = BatchProgress.read(soc(), batchId);
        assertEquals("RUNNING", batch.getString("status"), batch.prettify());
        return batch;
    }

    /**
     * The retry sweep, run {@code later} than now; the work it queues is fed to the function only afterwards, with the
     * clock back and the circuit breakers closed (the sweep also retries other tests' pending locks, whose Graph
     * stubs may fail).
     */
    private ValidatableResponse sweep(Duration later) {
        QUEUE.pause();
        clock.setNow(Instant.now().plus(later));
        try {
            return given().post("/internal/retry-sweep").then().statusCode(200);
        } finally {
            clock.reset();
            CircuitBreakerMaintenance.get().resetAll();
            QUEUE.resume();
        }
    }

    @Test
    void aUsersManagedDevicesAreAllLocked() {
        String upn = "mallory@contoso.example";
        String phone = newDeviceId();
        String tablet = newDeviceId();
        GraphStubs.listsAfterLock(phone, "iPhone");
        GraphStubs.listsAfterLock(tablet, "android");
        GraphStubs.devicesListedForUpn(upn, deviceJson(phone, "iPhone"), deviceJson(tablet, "android"));

        String batchId = start(soc(), """
                {"reason":"Compromised account","user":"%s"}""".formatted(upn))
                .statusCode(202).body("targetKind", equalTo("user")).body("user", equalTo(upn))
                .body("total", equalTo(2)).extract().path("batchId");

        JsonPath batch = finished(soc(), batchId, SOON);
        assertEquals(2, batch.getInt("counts.SENT"));
        assertEquals(1, remoteLockCalls(phone));
        assertEquals(1, remoteLockCalls(tablet));
    }

    @Test
    void aUsersThirtyDevicesInOneAnswerLargerThanTheApisOwnBodyLimitAreAllLocked() {
        String upn = "thirty-devices-" + UUID.randomUUID() + "@contoso.example";
        List<String> ids = IntStream.range(0, 30).mapToObj(i -> newDeviceId()).toList();
        ids.forEach(id -> GraphStubs.listsAfterLock(id, "android"));
        String[] listed = ids.stream().map(id -> deviceJson(id, "android")).toArray(String[]::new);
        // Graph's answer is larger than the 16 KiB the API accepts in a request: that limit is the API's, not Graph's.
        assertTrue(String.join(",", listed).length() > 16 * 1024);
        GraphStubs.devicesListedForUpn(upn, listed);

        String batchId = start(soc(), """
                {"reason":"Compromised account","user":"%s"}""".formatted(upn))
                .statusCode(202).body("total", equalTo(30)).extract().path("batchId");

        JsonPath batch = finished(soc(), batchId, SOON);
        assertEquals(30, batch.getInt("counts.SENT"), batch::prettify);
        ids.forEach(id -> assertEquals(1, remoteLockCalls(id)));
    }

    @Test
    void aUserWithoutManagedDevicesIsAProblemAndNothingIsRecorded() {
        GraphStubs.devicesListedForUpn("nobody@contoso.example");
        start(soc(), """
                {"reason":"Compromised account","user":"nobody@contoso.example"}""")
                .statusCode(404).contentType("application/problem+json")
                .body("type", containsString("no-devices-for-user")).body("user", equalTo("nobody@contoso.example"));
    }

    @Test
    void intuneNotAnsweringForAUsersDevicesIs503WithItsRetryAfter() {
        LocalStack.graph().stubFor(WireMock.get(WireMock.urlPathEqualTo("/beta/deviceManagement/managedDevices"))
                .withQueryParam("$filter", WireMock.equalTo("userPrincipalName eq 'unreachable@contoso.example'"))
                .willReturn(GraphStubs.graphError(503, "ServiceUnavailable", "Service unavailable", "req-503")
                        .withHeader("Retry-After", "1")));

        start(soc(), """
                {"reason":"Compromised account","user":"unreachable@contoso.example"}""")
                .statusCode(503).contentType("application/problem+json")
                .body("type", containsString("intune-unavailable"))
                .body("detail", containsString("no batch was recorded")).header("Retry-After", "1");
    }

    @Test
    void aDeviceAlreadyBeingLockedJoinsTheBatchWithItsLockAndNothingIsSentTwice() {
        String android = newDeviceId();
        GraphStubs.listsAfterLock(android, "android");
        String earlier = lock(soc(), android).statusCode(202).body("status", equalTo("SENT")).extract().path("lockId");

        String batchId = start(soc(), """
                {"reason":"Incident 4711","deviceIds":%s}""".formatted(deviceIds(android)))
                .statusCode(202).extract().path("batchId");

        JsonPath device = LockBatchApi.device(finished(soc(), batchId, SOON), android);
        assertEquals("SENT", device.getString("state"));
        assertEquals(earlier, device.getString("lockId"));
        assertEquals("joinedLockInFlight", device.getString("code"));
        assertEquals(1, remoteLockCalls(android));
    }

    @Test
    void aMacWhosePinIsStillUnusedIsRefusedNotLockedAgain() {
        String mac = newDeviceId();
        GraphStubs.listsAfterLock(mac, "macMDM", macLockResult("pending", Instant.now(), TestPins.next()));
        lock(soc(), mac).statusCode(202).body("status", equalTo("SENT"));

        String batchId = start(soc(), """
                {"reason":"Incident 4711","deviceIds":%s}""".formatted(deviceIds(mac)))
                .statusCode(202).extract().path("batchId");

        JsonPath device = LockBatchApi.device(finished(soc(), batchId, SOON), mac);
        assertEquals("REFUSED", device.getString("state"));
        assertEquals("macPinOutstanding", device.getString("code"));
        assertEquals(1, remoteLockCalls(mac));
    }

    @Test
    void aDryRunSaysWhatWouldHappenAndSendsNothing() {
        String iphone = newDeviceId();
        String desktop = newDeviceId();
        String unknown = newDeviceId();
        String guardedMac = newDeviceId();
        GraphStubs.listsAfterLock(iphone, "iPhone");
        GraphStubs.device(desktop, "desktop");
        GraphStubs.noSuchDevice(unknown);
        GraphStubs.listsAfterLock(guardedMac, "macMDM", macLockResult("pending", Instant.now(), TestPins.next()));
        lock(soc(), guardedMac).statusCode(202);

        String batchId = start(soc(), """
                {"reason":"What would happen","dryRun":true,"deviceIds":%s}""".formatted(
                deviceIds(iphone, desktop, unknown, guardedMac)))
                .statusCode(202).body("dryRun", equalTo(true)).extract().path("batchId");

        JsonPath batch = finished(soc(), batchId, SOON);
        assertEquals("WOULD_LOCK", LockBatchApi.device(batch, iphone).getString("state"));
        assertNull(LockBatchApi.device(batch, iphone).getString("lockId"));
        assertEquals("platformNotSupported", LockBatchApi.device(batch, desktop).getString("code"));
        assertEquals("deviceNotFound", LockBatchApi.device(batch, unknown).getString("code"));
        assertEquals("macPinOutstanding", LockBatchApi.device(batch, guardedMac).getString("code"));
        assertEquals(0, remoteLockCalls(iphone));
        assertEquals(0, remoteLockCalls(desktop));
        assertEquals(1, remoteLockCalls(guardedMac)); // its own lock, before the dry run
        given().header("Authorization", "Bearer " + soc()).get("/v1/locks/" + LockBatchApi.device(batch, iphone)
                .getString("lockId")).then().statusCode(404);
    }

    @Test
    void serialNumbersAreMatchedInIntuneAndOnlyAUniqueMatchIsLocked() {
        String matched = newDeviceId();
        GraphStubs.listsAfterLock(matched, "iPhone");
        GraphStubs.devicesWhere("serialNumber eq 'SN-ONE'", deviceJson(matched, "iPhone"));
        GraphStubs.devicesWhere("serialNumber eq 'SN-NONE'");
        GraphStubs.devicesWhere("serialNumber eq 'SN-TWICE'", deviceJson(newDeviceId(), "iPhone"),
                deviceJson(newDeviceId(), "android"));

        String batchId = start(soc(), """
                {"reason":"Shipment stolen","serialNumbers":["SN-ONE","SN-NONE","SN-TWICE"]}""")
                .statusCode(202).body("total", equalTo(3)).extract().path("batchId");

        JsonPath batch = finished(soc(), batchId, SOON);
        Map<String, Map<String, String>> bySerial = batch.<Map<String, String>>getList("devices").stream()
                .collect(Collectors.toMap(device -> device.get("serialNumber"), device -> device));
        assertEquals("SENT", bySerial.get("SN-ONE").get("state"));
        assertEquals(matched, bySerial.get("SN-ONE").get("deviceId"));
        assertEquals("deviceNotFound", bySerial.get("SN-NONE").get("code"));
        assertEquals("ambiguousSerialNumber", bySerial.get("SN-TWICE").get("code"));
        assertEquals(1, remoteLockCalls(matched));
    }

    @Test
    void thePlatformsFilterSkipsEveryOtherPlatform() {
        String iphone = newDeviceId();
        String android = newDeviceId();
        GraphStubs.listsAfterLock(iphone, "iPhone");
        GraphStubs.listsAfterLock(android, "android");

        String batchId = start(soc(), """
                {"reason":"Phones only","platforms":["IOS"],"deviceIds":%s}""".formatted(deviceIds(iphone, android)))
                .statusCode(202).body("platforms", equalTo(List.of("IOS"))).extract().path("batchId");

        JsonPath batch = finished(soc(), batchId, SOON);
        assertEquals("SENT", LockBatchApi.device(batch, iphone).getString("state"));
        assertEquals("SKIPPED", LockBatchApi.device(batch, android).getString("state"));
        assertEquals("platformFiltered", LockBatchApi.device(batch, android).getString("code"));
        assertEquals(0, remoteLockCalls(android));
    }

    @Test
    void moreThanTenDevicesNeedTheLocksBulkRole() {
        String eleven = deviceIds(IntStream.range(0, 11).mapToObj(i -> newDeviceId()).toArray(String[]::new));
        String helpdesk = Tokens.withRoles("helpdesk@contoso.example", "Lock.Devices");

        start(helpdesk, """
                {"reason":"Too many for me","dryRun":true,"deviceIds":%s}""".formatted(eleven))
                .statusCode(403).contentType("application/problem+json")
                .body("type", containsString("bulk-role-required")).body("devices", equalTo(11));
        start(soc(), """
                {"reason":"Allowed","dryRun":true,"deviceIds":%s}""".formatted(eleven)).statusCode(202);
        start(helpdesk, """
                {"reason":"Ten is fine","dryRun":true,"deviceIds":%s}""".formatted(deviceIds(IntStream.range(0, 10)
                .mapToObj(i -> newDeviceId()).toArray(String[]::new)))).statusCode(202);
    }

    @Test
    void batchesNeedTheLockDevicesRole() {
        start(Tokens.withRoles("reader@contoso.example", "Audit.Read"), """
                {"reason":"No","deviceIds":["%s"]}""".formatted(newDeviceId())).statusCode(403)
                .contentType("application/problem+json");
        LockBatchApi.get(Tokens.withRoles("reader@contoso.example", "Audit.Read"), newDeviceId()).statusCode(403);
    }

    @Test
    void anUnknownBatchIsNotFound() {
        LockBatchApi.get(soc(), newDeviceId()).statusCode(404).contentType("application/problem+json")
                .body("type", containsString("batch-not-found"));
        LockBatchApi.get(soc(), "not-a-batch-id").statusCode(404).body("type", containsString("batch-not-found"));
    }

    @Test
    void aBadBatchRequestNamesEveryProblemAtOnce() {
        // 1,001 ids (~40 KB) travel through the raw event entry, as large bodies reach the function in AWS.
        String tooMany = deviceIds(IntStream.range(0, 1001).mapToObj(i -> newDeviceId()).toArray(String[]::new));
        ApiGatewayEvents.Answer answer = ApiGatewayEvents.post("/v1/lock-batches", Map.of("authorization",
                "Bearer " + soc()), """
                {"deviceIds":%s,"platforms":["WINDOWS_DESKTOP"]}""".formatted(tooMany).getBytes(StandardCharsets.UTF_8));
        assertEquals(400, answer.status());
        List<String> errors = answer.body().getList("violations");
        assertNotNull(errors, answer.body().prettify());
        assertEquals(3, errors.size(), errors::toString);
        assertTrue(errors.stream().anyMatch(error -> error.contains("reason is required")), errors::toString);
        assertTrue(errors.stream().anyMatch(error -> error.contains("at most 1000")), errors::toString);
        assertTrue(errors.stream().anyMatch(error -> error.contains("WINDOWS_DESKTOP")), errors::toString);
        start(soc(), """
                {"reason":"Two kinds","user":"a@contoso.example","deviceIds":["%s"]}""".formatted(newDeviceId()))
                .statusCode(400).body("violations", hasItem(containsString("exactly one of")));
        start(soc(), """
                {"reason":"Bad ids","deviceIds":["not-a-guid"]}""").statusCode(400)
                .body("violations", hasItem(containsString("Intune managed device id")));
        start(soc(), """
                {"reason":"Bad user","user":"not a user"}""").statusCode(400)
                .body("violations", hasItem(containsString("user principal name")));
        start(soc(), """
                {"reason":"Quotes","serialNumbers":["SN' or 1 eq 1"]}""").statusCode(400)
                .body("violations", hasItem(containsString("without quotes")));
    }
}
