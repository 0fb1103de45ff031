package dev.intunelock.webhook;

import static dev.intunelock.testing.GraphStubs.deviceJson;
import static dev.intunelock.testing.GraphStubs.newDeviceId;
import static dev.intunelock.testing.GraphStubs.remoteLockCalls;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.github.tomakehurst.wiremock.client.WireMock;

import dev.intunelock.testing.BatchProgress;
import dev.intunelock.testing.GraphStubs;
import dev.intunelock.testing.LocalStack;
import dev.intunelock.testing.Tokens;
import dev.intunelock.testing.WorkQueueFeed;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;

/**
 * An alert that names a user instead of a device locks that user's managed devices as one lock batch, only for a
 * source allowed to (here {@code soc}, up to 3 devices per alert; {@code siem} is not), and once however often the
 * alert is delivered.
 */
@QuarkusTest
@WithTestResource(LocalStack.class)
class UserAlertTest {

    @RegisterExtension
    static final WorkQueueFeed QUEUE = new WorkQueueFeed();

    @Test
    void anAlertNamingAUserLocksEachOfTheirDevicesOnceEvenWhenDeliveredAgain() {
        String upn = "compromised-" + UUID.randomUUID() + "@contoso.example";
        List<String> devices = userWithDevices(upn, 2);
        byte[] alert = alert("soc", UUID.randomUUID().toString(), upn);

        String batchId = deliver("soc", "soc-secret", alert).statusCode(202)
                .body("results[0].result", equalTo("locked")).body("results[0].count", equalTo(2))
                .body("results[0].deviceId", nullValue()).extract().path("results[0].batchId");
        deliver("soc", "soc-secret", alert).statusCode(202).body("results[0].batchId", equalTo(batchId));

        JsonPath batch = finished(batchId);
        assertEquals(2, batch.getInt("counts.SENT"), batch::prettify);
        assertEquals("webhook:soc", batch.getString("requestedBy"));
        assertEquals(upn, batch.getString("user"));
        for (String device : devices) {
            assertEquals(1, remoteLockCalls(device), "one command for " + device);
        }
    }

    @Test
    void aSourceNotAllowedToLockUsersLocksNothingAndDoesNotAskIntune() {
        String upn = "someone-" + UUID.randomUUID() + "@contoso.example";
        List<String> devices = userWithDevices(upn, 1);

        deliver("siem", "siem-new-secret", alert("siem", UUID.randomUUID().toString(), upn)).statusCode(202)
                .body("results[0].result", equalTo("refused"))
                .body("results[0].reason", containsString("WEBHOOK_SIEM_USER_LOCKS"));

        assertEquals(0, remoteLockCalls(devices.get(0)));
        assertEquals(0, LocalStack.graph().findAll(WireMock.getRequestedFor(WireMock.urlPathEqualTo(
                "/beta/deviceManagement/managedDevices")).withQueryParam("$filter",
                        WireMock.containing(upn))).size());
    }

    @Test
    void aUserWithMoreDevicesThanTheSourcesCapIsRefusedWhole() {
        String upn = "many-devices-" + UUID.randomUUID() + "@contoso.example";
        List<String> devices = userWithDevices(upn, 4);

        deliver("soc", "soc-secret", alert("soc", UUID.randomUUID().toString(), upn)).statusCode(202)
                .body("results[0].result", equalTo("refused")).body("results[0].count", equalTo(4))
                .body("results[0].reason", containsString("more than the 3"));

        devices.forEach(device -> assertEquals(0, remoteLockCalls(device)));
    }

    @Test
    void aUserIntuneListsNoDeviceForIsUnmatched() {
        String upn = "nobody-" + UUID.randomUUID() + "@contoso.example";
        GraphStubs.devicesListedForUpn(upn);

        deliver("soc", "soc-secret", alert("soc", UUID.randomUUID().toString(), upn)).statusCode(202)
                .body("results[0].result", equalTo("unmatched"));
    }

    private static List<String> userWithDevices(String upn, int count) {
        List<String> ids = java.util.stream.IntStream.range(0, count).mapToObj(i -> newDeviceId()).toList();
        ids.forEach(id -> GraphStubs.listsAfterLock(id, "android"));
        GraphStubs.devicesListedForUpn(upn, ids.stream().map(id -> deviceJson(id, "android")).toArray(String[]::new));
        return ids;
    }

    private static byte[] alert(String source, String alertId, String user) {
        return """
                {"id":"%s","user":"%s","reason":"Impossible travel for %s","severity":"critical","status":"firing"}"""
                .formatted(alertId, user, source).getBytes(StandardCharsets.UTF_8);
    }

    private static ValidatableResponse deliver(String source, String secret, byte[] body) {
        return given().contentType(ContentType.JSON).headers(GenericSenderSignature.headers(body, secret, Instant.now()))
                .body(body).post("/v1/webhooks/" + source).then();
    }

    private static JsonPath finished(String batchId) {
        return BatchProgress.finished(Tokens.withRoles("soc@contoso.example", "Lock.Devices"), batchId,
                Duration.ofSeconds(30));
    }
}
