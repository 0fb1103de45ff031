package dev.intunelock.pin;

import static dev.intunelock.pin.MacPinApi.readPin;
import static dev.intunelock.testing.GraphStubs.macLockResult;
import static dev.intunelock.testing.GraphStubs.newDeviceId;
import static dev.intunelock.testing.GraphStubs.remoteLockCalls;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.intunelock.audit.AuditEvent;
import dev.intunelock.audit.AuditTrail;
import dev.intunelock.testing.GraphStubs;
import dev.intunelock.testing.LocalStack;
import dev.intunelock.testing.Template;
import dev.intunelock.testing.TestClock;
import dev.intunelock.testing.TestPins;
import dev.intunelock.testing.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;

/**
 * The PIN vault: a PIN is stored only sealed (envelope encryption with a data key from the sandbox's KMS
 * stand-in), its data key is destroyed at the shredding bound, and with it every copy of the PIN becomes
 * undecryptable. Each test runs on its own days (the clock moved), so that its data keys are its own.
 */
@QuarkusTest
@WithTestResource(LocalStack.class)
class PinVaultTest {

    final String locker = Tokens.withRoles("helpdesk@contoso.example", "Lock.Devices");
    final String pinReader = Tokens.withRoles("pin.reader@contoso.example", "Pins.Read");

    @Inject
    TestClock clock;

    @Inject
    DynamoDbClient dynamo;

    @Inject
    AuditTrail audit;

    @AfterEach
    void realTimeAndLinksUp() {
        clock.reset();
        LocalStack.kmsLink().restore();
    }

    @Test
    void aCapturedPinIsStoredSealedAndNeverCrossesTheWireToDynamoDbAsDigits() {
        clock.setNow(Instant.parse("2021-03-01T09:00:00Z"));
        String pin = TestPins.next();
        String mac = macThatReports(pin);

        LocalStack.dynamoLink().startRecording();
        lockMac(mac).body("pin.status", equalTo("STORED"));
        readPin(pinReader, mac).statusCode(200).body("pin", equalTo(pin));
        String wire = LocalStack.dynamoLink().stopRecording();

        assertTrue(wire.contains("pinSealed") && wire.contains(mac), "the PIN item crossed the recorded link");
        assertFalse(standalone(pin).matcher(wire).find(), "the PIN's digits crossed the wire to DynamoDB");
        Map<String, AttributeValue> item = pinItem(mac);
        assertNull(item.get("pin"), "no plain PIN attribute");
        assertEquals(1 + 12 + 6 + 16, item.get("pinSealed").b().asByteArray().length,
                "version, IV, 6 encrypted digits, GCM tag");
        assertEquals("2021-03-01", item.get("pinKeyDay").s());
        assertFalse(standalone(pin).matcher(item.toString()).find(), "no attribute of the item holds the digits");
    }

    @Test
    void aDaysDataKeyCostsOneKmsCallThenEveryReadIsServedFromMemory() {
        clock.setNow(Instant.parse("2021-04-01T09:00:00Z"));
        int before = kmsCalls().size();
        for (int mac = 0; mac < 2; mac++) {
            String pin = TestPins.next();
            String device = macThatReports(pin);
            lockMac(device).body("pin.status", equalTo("STORED"));
            for (int read = 0; read < 3; read++) {
                readPin(pinReader, device).statusCode(200).body("pin", equalTo(pin));
            }
        }
        List<Map<String, String>> calls = kmsCalls().subList(before, kmsCalls().size());
        assertEquals(1, calls.size(), "one GenerateDataKey for the day, nothing for 2 seals and 6 reads: " + calls);
        assertEquals("GenerateDataKey", calls.get(0).get("operation"));
    }

    @Test
    void aDaysDataKeyMadeByAnotherInstanceIsUnwrappedByKmsForThePinPurposeOnly() {
        clock.setNow(Instant.parse("2021-06-01T09:00:00Z"));
        madeByAnotherInstance("2021-06-01");
        int before = kmsCalls().size();
        String pin = TestPins.next();
        String mac = macThatReports(pin);

        lockMac(mac).body("pin.status", equalTo("STORED"));
        readPin(pinReader, mac).statusCode(200).body("pin", equalTo(pin));

        List<Map<String, String>> calls = kmsCalls().subList(before, kmsCalls().size());
        assertEquals(List.of("Decrypt"), calls.stream().map(call -> call.get("operation")).toList(),
                "the other instance's key is unwrapped once, never a second key made for the day: " + calls);
    }

    /** The day's data key as another instance of the function stores it: made by KMS, kept wrapped. */
    private void madeByAnotherInstance(String day) {
        try (KmsClient kms = KmsClient.builder().region(Region.EU_WEST_1)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .endpointOverride(URI.create(LocalStack.sandboxUrl() + "/kms"))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build()) {
            var key = kms.generateDataKey(r -> r.keyId("alias/intune-lock-test-pins").keySpec(DataKeySpec.AES_256)
                    .encryptionContext(Map.of("purpose", "mac-recovery-pin", "keyDay", day)));
            Instant shredAt = ShreddingBound.keyOf(clock.instant()).shredAt();
            dynamo.putItem(put -> put.tableName("PinKeysTable").item(Map.of(
                    "pk", AttributeValue.fromS("DATA_KEY"), "sk", AttributeValue.fromS(day),
                    "wrappedKey", AttributeValue.fromB(key.ciphertextBlob()),
                    "kmsKeyArn", AttributeValue.fromS(key.keyId()),
                    "shredAt", AttributeValue.fromS(shredAt.toString()),
                    "createdAt", AttributeValue.fromS(clock.instant().toString()),
                    "ttlEpochSeconds", AttributeValue.fromN(Long.toString(shredAt.getEpochSecond())))));
        }
    }

    @Test
    void withKmsDownTheLockStillGoesOutThePinReadIsA503AndThePinIsCapturedOnceKmsIsBack() {
        clock.setNow(Instant.parse("2021-05-01T09:00:00Z"));
        String pin = TestPins.next();
        String mac = macThatReports(pin);
        LocalStack.kmsLink().cut();

        lockMac(mac).body("pin.status", equalTo("AWAITING"));
        assertEquals(1, remoteLockCalls(mac));
        readPin(pinReader, mac).statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", "5")
                .body("type", containsString("pin-vault-unavailable"))
                .body(not(containsString(pin)));
        assertTrue(audit.forDevice(mac).stream().anyMatch(event -> event.action().equals(AuditEvent.PIN_READ)
                && event.outcome().equals(AuditEvent.REFUSED) && event.reason().equals("PIN vault unavailable")));

        LocalStack.kmsLink().restore();
        clock.setNow(clock.instant().plusSeconds(120));
        given().post("/internal/retry-sweep").then().statusCode(200).body("pinsCaptured", greaterThanOrEqualTo(1));
        readPin(pinReader, mac).statusCode(200).body("pin", equalTo(pin));
        assertEquals(1, remoteLockCalls(mac), "the Mac was locked once");
    }

    @Test
    void aCopiedPinItemCannotBeDecryptedAfterTheShreddingBoundWhileAYoungerPinStillCan() {
        clock.setNow(Instant.parse("2020-01-10T09:00:00Z"));
        String olderPin = TestPins.next();
        String older = macThatReports(olderPin);
        lockMac(older).body("pin.status", equalTo("STORED"));
        readPin(pinReader, older).statusCode(200).body("pin", equalTo(olderPin));
        Map<String, AttributeValue> copy = pinItem(older); // as a backup, an export or a stream would hold it

        clock.setNow(Instant.parse("2020-01-11T09:00:00Z"));
        String youngerPin = TestPins.next();
        String younger = macThatReports(youngerPin);
        lockMac(younger).body("pin.status", equalTo("STORED"));

        // The older PIN expired 2020-02-09T09:00Z; the key of its day goes when that day's last PIN has expired.
        Instant bound = ShreddingBound.keyOf(Instant.parse("2020-01-10T09:00:00Z")).shredAt();
        assertEquals(Instant.parse("2020-02-10T00:00:00Z"), bound);
        clock.setNow(bound.plusSeconds(1));
        given().post("/internal/retry-sweep").then().statusCode(200)
                .body("pinsShredded", greaterThanOrEqualTo(1))
                .body("dataKeysShredded", greaterThanOrEqualTo(1));

        assertNull(pinItem(older).get("pinSealed"), "the live item no longer holds the sealed PIN");
        assertFalse(dataKeyExists("2020-01-10"), "the older day's data key is gone");
        assertTrue(dataKeyExists("2020-01-11"), "the younger day's data key is kept");
        readPin(pinReader, younger).statusCode(200).body("pin", equalTo(youngerPin));
        assertTrue(audit.forDevice(older).stream().anyMatch(e -> e.action().equals(AuditEvent.PIN_SHREDDED)));

        // Restore the copy, and even read it with the clock back inside its window: nothing can decrypt it.
        dynamo.putItem(p -> p.tableName("LocksTable").item(copy));
        clock.setNow(Instant.parse("2020-01-20T09:00:00Z"));
        readPin(pinReader, older).statusCode(404)
                .body("pinStatus", equalTo("EXPIRED"))
                .body("detail", containsString("can no longer be decrypted"))
                .body(not(containsString(olderPin)));
    }

    @Test
    void theKeyAndTheKeyTableComeFromTemplateYamlAndTheKeyTableKeepsNoBackups() {
        assertEquals("AWS::KMS::Key", Template.resource("PinKey").path("Type").asText());
        assertEquals(List.of("PinKey", "Arn"), List.of(
                Template.functionEnvironment().path("PIN_KMS_KEY_ID").path("Fn::GetAtt").get(0).asText(),
                Template.functionEnvironment().path("PIN_KMS_KEY_ID").path("Fn::GetAtt").get(1).asText()));
        assertEquals("PinKeysTable", Template.functionEnvironment().path("PIN_KEYS_TABLE").path("Ref").asText());
        var keyTable = Template.resource("PinKeysTable").path("Properties");
        assertFalse(keyTable.path("PointInTimeRecoverySpecification").path("PointInTimeRecoveryEnabled")
                .asBoolean(true), "no point-in-time recovery: " + keyTable);
        assertTrue(keyTable.path("StreamSpecification").isMissingNode(), "no stream: " + keyTable);
        assertTrue(Template.resource("PinKey").path("Properties").path("EnableKeyRotation").asBoolean());
    }

    /** A new Mac whose lock Intune accepts, reporting {@code pin} in a result started now (the test clock's now). */
    private String macThatReports(String pin) {
        String mac = newDeviceId();
        GraphStubs.listsAfterLock(mac, "macMDM", macLockResult("pending", clock.instant(), pin));
        return mac;
    }

    private ValidatableResponse lockMac(String mac) {
        return LockApiCalls.lock(locker, mac, "Reported stolen").statusCode(202).body("status", equalTo("SENT"));
    }

    private Map<String, AttributeValue> pinItem(String mac) {
        return dynamo.query(q -> q.tableName("LocksTable")
                .keyConditionExpression("pk = :pk AND begins_with(sk, :pin)")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("DEVICE#" + mac),
                        ":pin", AttributeValue.fromS("PIN#")))
                .consistentRead(true)).items().get(0);
    }

    private boolean dataKeyExists(String day) {
        return dynamo.getItem(g -> g.tableName("PinKeysTable").consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS("DATA_KEY"), "sk", AttributeValue.fromS(day)))).hasItem();
    }

    private static List<Map<String, String>> kmsCalls() {
        return given().get(LocalStack.sandboxUrl() + "/sandbox/kms-calls").then().statusCode(200)
                .extract().jsonPath().getList("calls");
    }

    private static Pattern standalone(String pin) {
        return Pattern.compile("(?<![0-9A-Za-z+/])" + pin + "(?![0-9A-Za-z+/=])");
    }
}
