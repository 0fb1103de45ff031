package dev.intunelock.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.intunelock.testing.SecretsInSandbox;
import dev.intunelock.testing.iam.AwsCall;
import dev.intunelock.testing.iam.DeployedPolicy;
import dev.intunelock.testing.iam.FunctionCallRecorder;
import dev.intunelock.testing.iam.PolicyStatement;
import dev.intunelock.testing.iam.TestAccount;
import dev.intunelock.testing.iam.UnusedGrants;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.kms.model.DecryptRequest;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;

/**
 * The policy check the whole suite runs under ({@code testing/iam}) decides as IAM does, on template.yaml's own
 * policy and on policies made up to stand on each rule's edge; and the function's calls are read as IAM reads them.
 */
class LeastPrivilegeTest {

    static final String LOCKS = TestAccount.tableArn("LocksTable");
    static final String AUDIT = TestAccount.tableArn("AuditTable");
    static final String PIN_KEY = TestAccount.arnOf("PinKey");

    @Test
    void aLockBatchMayWriteItsDevicesInBatchesButABatchWriteTouchingAnyOtherItemIsDenied() {
        assertTrue(allowed(AwsCall.of("dynamodb:BatchWriteItem", LOCKS)
                .with("dynamodb:LeadingKeys", List.of("BATCH#1", "BATCH#2"))));
        assertFalse(allowed(AwsCall.of("dynamodb:BatchWriteItem", LOCKS)
                .with("dynamodb:LeadingKeys", List.of("BATCH#1", "DEVICE#a-mac"))), "one lock item among them");
        assertFalse(allowed(AwsCall.of("dynamodb:BatchWriteItem", AUDIT)
                .with("dynamodb:LeadingKeys", List.of("BATCH#1"))), "never on the audit trail");
    }

    @Test
    void indexesMayOnlyBeQueried() {
        assertTrue(allowed(AwsCall.of("dynamodb:Query", LOCKS + "/index/RetryQueue")));
        assertTrue(allowed(AwsCall.of("dynamodb:Query", AUDIT + "/index/ByActor")));
        assertFalse(allowed(AwsCall.of("dynamodb:Scan", LOCKS + "/index/RetryQueue")));
        assertFalse(allowed(AwsCall.of("dynamodb:Scan", LOCKS)), "no statement grants a scan");
        assertFalse(allowed(AwsCall.of("dynamodb:DeleteItem", LOCKS)), "locks are never deleted by the function");
    }

    @Test
    void pinDataKeysComeOnlyFromThePinKeyAndOnlyForThePinPurpose() {
        AwsCall forPins = AwsCall.of("kms:GenerateDataKey", PIN_KEY)
                .with("kms:EncryptionContext:purpose", List.of("mac-recovery-pin"));
        assertTrue(allowed(forPins));
        assertTrue(allowed(AwsCall.of("kms:Decrypt", PIN_KEY)
                .with("kms:EncryptionContext:purpose", List.of("mac-recovery-pin"))));
        assertFalse(allowed(AwsCall.of("kms:GenerateDataKey", PIN_KEY)), "no encryption context");
        assertFalse(allowed(AwsCall.of("kms:GenerateDataKey", PIN_KEY)
                .with("kms:EncryptionContext:purpose", List.of("something-else"))));
        assertFalse(allowed(AwsCall.of("kms:GenerateDataKey", TestAccount.keyArn("alias/another-key"))
                .with("kms:EncryptionContext:purpose", List.of("mac-recovery-pin"))), "another key");
        assertFalse(allowed(AwsCall.of("kms:Encrypt", PIN_KEY)
                .with("kms:EncryptionContext:purpose", List.of("mac-recovery-pin"))));
    }

    @Test
    void onlyTheConfiguredSecretsMayBeReadWhateverTheirRandomSuffix() {
        assertTrue(allowed(AwsCall.of("secretsmanager:GetSecretValue",
                TestAccount.secretArn(SecretsInSandbox.GRAPH_CLIENT_SECRET))));
        assertTrue(allowed(AwsCall.of("secretsmanager:GetSecretValue",
                TestAccount.secretArn(TestAccount.GRAPH_CLIENT_CERTIFICATE))));
        assertFalse(allowed(AwsCall.of("secretsmanager:GetSecretValue",
                TestAccount.secretArn("intune-lock/test/someone-elses"))));
        String arn = TestAccount.secretArn(SecretsInSandbox.GRAPH_CLIENT_SECRET);
        assertFalse(allowed(AwsCall.of("secretsmanager:GetSecretValue", arn + "x")), "a longer suffix");
    }

    @Test
    void anExplicitDenyWinsOverAnyAllowAndActionsMatchWithoutRegardToCase() throws Exception {
        List<PolicyStatement> policy = DeployedPolicy.read(new ObjectMapper().readTree("""
                [{"Statement": [
                  {"Sid": "All", "Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"},
                  {"Sid": "NoDeletes", "Effect": "Deny", "Action": "dynamodb:Delete?tem",
                   "Resource": "arn:aws:dynamodb:*:*:table/Locks*"}]}]"""));
        assertEquals(Optional.of("NoDeletes"), DeployedPolicy.decide(policy,
                AwsCall.of("dynamodb:deleteitem", "arn:aws:dynamodb:eu-west-1:1:table/LocksTable")).deniedBy());
        assertTrue(DeployedPolicy.decide(policy,
                AwsCall.of("dynamodb:DeleteItem", "arn:aws:dynamodb:eu-west-1:1:table/AuditTable")).allowed());
        assertFalse(DeployedPolicy.decide(policy, AwsCall.of("sqs:SendMessage", "arn:aws:sqs:eu-west-1:1:q"))
                .allowed(), "nothing allows it: denied implicitly");
    }

    @Test
    void aPolicyTheCheckCannotReadFailsInsteadOfPassing() throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertThrows(UnsupportedOperationException.class, () -> DeployedPolicy.read(json.readTree(
                "[{\"DynamoDBCrudPolicy\": {\"TableName\": \"LocksTable\"}}]")), "a SAM policy template");
        assertThrows(UnsupportedOperationException.class, () -> DeployedPolicy.read(json.readTree("""
                [{"Statement": [{"Sid": "A", "Effect": "Allow", "NotAction": "kms:*", "Resource": "*"}]}]""")));
        List<PolicyStatement> numeric = DeployedPolicy.read(json.readTree("""
                [{"Statement": [{"Sid": "A", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*",
                  "Condition": {"NumericLessThan": {"kms:GrantTokens": "3"}}}]}]"""));
        assertThrows(UnsupportedOperationException.class, () -> DeployedPolicy.decide(numeric,
                AwsCall.of("kms:Decrypt", PIN_KEY)));
        List<PolicyStatement> onLeadingKeys = DeployedPolicy.read(json.readTree("""
                [{"Statement": [{"Sid": "A", "Effect": "Allow", "Action": "dynamodb:Query", "Resource": "*",
                  "Condition": {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["BATCH#*"]}}}]}]"""));
        assertThrows(UnsupportedOperationException.class, () -> DeployedPolicy.decide(onLeadingKeys,
                AwsCall.of("dynamodb:Query", LOCKS).unknown("dynamodb:LeadingKeys")),
                "a key the recorder does not work out is not read as absent");
    }

    @Test
    void batchCallsAreAuthorisedPerTableAndSqsBatchesAsTheirSingleAction() {
        WriteRequest put = WriteRequest.builder().putRequest(PutRequest.builder()
                .item(Map.of("pk", AttributeValue.fromS("BATCH#1"))).build()).build();
        WriteRequest delete = WriteRequest.builder().deleteRequest(DeleteRequest.builder()
                .key(Map.of("pk", AttributeValue.fromS("DEVICE#2"))).build()).build();
        List<AwsCall> calls = FunctionCallRecorder.calls("DynamoDb", "BatchWriteItem", BatchWriteItemRequest.builder()
                .requestItems(Map.of("LocksTable", List.of(put), "AuditTable", List.of(delete))).build());
        assertEquals(2, calls.size());
        assertTrue(calls.contains(AwsCall.of("dynamodb:BatchWriteItem", LOCKS)
                .with("dynamodb:LeadingKeys", List.of("BATCH#1"))));
        assertTrue(calls.contains(AwsCall.of("dynamodb:BatchWriteItem", AUDIT)
                .with("dynamodb:LeadingKeys", List.of("DEVICE#2"))));

        assertEquals(List.of(AwsCall.of("dynamodb:Query", LOCKS + "/index/RetryQueue")
                .unknown("dynamodb:LeadingKeys")), FunctionCallRecorder.calls("DynamoDb", "Query",
                        QueryRequest.builder().tableName("LocksTable").indexName("RetryQueue").build()));
        assertEquals(List.of(AwsCall.of("sqs:SendMessage", TestAccount.arnOf("LockWorkQueue"))),
                FunctionCallRecorder.calls("Sqs", "SendMessageBatch", SendMessageBatchRequest.builder()
                        .queueUrl("http://127.0.0.1:9324/000000000000/LockWorkQueue").build()));
        AwsCall dataKey = FunctionCallRecorder.calls("Kms", "GenerateDataKey", GenerateDataKeyRequest.builder()
                .keyId(TestAccount.PIN_KEY_ALIAS).encryptionContext(Map.of("purpose", "mac-recovery-pin")).build())
                .get(0);
        assertEquals(PIN_KEY, dataKey.resource(), "the tests' alias names the template's PinKey");
        assertEquals(List.of("mac-recovery-pin"), dataKey.context().get("kms:EncryptionContext:purpose"));
        assertThrows(IllegalStateException.class, () -> FunctionCallRecorder.calls("Kms", "Decrypt",
                DecryptRequest.builder().build()), "a Decrypt that names no key cannot be checked");
    }

    @Test
    void aGrantNoCallUsedIsReportedWithItsStatement() {
        List<UnusedGrants.Grant> unused = UnusedGrants.unused(DeployedPolicy.statements(), List.of(
                AwsCall.of("sqs:SendMessage", TestAccount.arnOf("LockWorkQueue"))));
        assertTrue(unused.contains(new UnusedGrants.Grant("BatchWork", "sqs:ChangeMessageVisibility",
                TestAccount.arnOf("LockWorkQueue"))), unused.toString());
        assertFalse(unused.stream().anyMatch(grant -> grant.action().equals("sqs:SendMessage")));
        assertFalse(unused.stream().anyMatch(grant -> grant.sid().equals("AuditAppendOnly")), "a Deny grants nothing");
    }

    private static boolean allowed(AwsCall call) {
        return DeployedPolicy.decide(call).allowed();
    }
}
