package dev.intunelock.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.intunelock.testing.Template;

/**
 * template.yaml's key of the recovery PINs' data keys and its key table, as AWS will hold them: who administers the
 * key cannot use it, only the function's role uses it and only for recovery-PIN data keys, and the key table keeps
 * no copy anywhere (a restored key table would revive shredded PINs).
 */
class PinKeyPolicyTest {

    /** What makes, opens or hands on the power to open data keys. */
    private static final Set<String> USE = Set.of("kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:ReEncryptFrom",
            "kms:ReEncryptTo", "kms:GenerateDataKey", "kms:GenerateDataKey*", "kms:GenerateDataKeyWithoutPlaintext",
            "kms:CreateGrant", "kms:*", "*");
    private static final String FUNCTION_ROLE_PATH = "/intune-lock/${AWS::StackName}/";
    private static final String FUNCTION_ROLE = "arn:${AWS::Partition}:iam::${AWS::AccountId}:role"
            + FUNCTION_ROLE_PATH + "*";

    private static List<JsonNode> keyPolicy() {
        List<JsonNode> statements = new ArrayList<>();
        Template.resource("PinKey").path("Properties").path("KeyPolicy").path("Statement").forEach(statements::add);
        return statements;
    }

    private static JsonNode statement(String sid) {
        return keyPolicy().stream().filter(s -> sid.equals(s.path("Sid").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("PinKey's policy has no statement " + sid));
    }

    @Test
    void onlyTheFunctionsRoleUsesTheKeyAndOnlyToMakeAndOpenRecoveryPinDataKeys() {
        List<JsonNode> users = keyPolicy().stream().filter(s -> "Allow".equals(s.path("Effect").asText()))
                .filter(s -> Template.actions(s).stream().anyMatch(USE::contains)).toList();
        assertEquals(1, users.size(), "one statement lets the key be used: " + users);
        JsonNode use = users.get(0);
        assertEquals(Set.of("kms:GenerateDataKey", "kms:Decrypt"), Set.copyOf(Template.actions(use)));
        assertEquals(FUNCTION_ROLE, use.path("Condition").path("ArnLike").path("aws:PrincipalArn").path("Fn::Sub")
                .asText());
        assertEquals(KeyWrapping.PURPOSE, use.path("Condition").path("StringEquals")
                .path("kms:EncryptionContext:purpose").asText());
    }

    @Test
    void theKeysAdministratorsManageItButCannotUseItNorGrantItsUse() {
        JsonNode administrators = statement("AdministratorsManageButDoNotUse");
        List<String> actions = Template.actions(administrators);
        assertTrue(actions.contains("kms:PutKeyPolicy") && actions.contains("kms:ScheduleKeyDeletion"), "" + actions);
        assertTrue(actions.stream().noneMatch(USE::contains), "administration only: " + actions);
        assertTrue(actions.stream().noneMatch(a -> a.contains("*")), "no wildcard can grow into use: " + actions);
        assertTrue(administrators.path("Principal").path("AWS").path("Fn::If").toString()
                .contains("PinKeyAdministrators"), "the administrators the deployment names");
    }

    @Test
    void nobodyButTheFunctionsRoleUsesTheKeyWhateverIamOrAnotherStatementAllows() {
        JsonNode nobodyElse = statement("NobodyElseUsesIt");
        assertEquals("Deny", nobodyElse.path("Effect").asText());
        assertEquals("*", nobodyElse.path("Principal").path("AWS").asText());
        assertTrue(Template.actions(nobodyElse).containsAll(List.of("kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*",
                "kms:GenerateDataKey*", "kms:CreateGrant")), "" + Template.actions(nobodyElse));
        assertEquals(FUNCTION_ROLE, nobodyElse.path("Condition").path("ArnNotLike").path("aws:PrincipalArn")
                .path("Fn::Sub").asText());
    }

    @Test
    void theRolesTheKeyPolicyNamesAreOnThePathOfTheRoleSamMakesForTheFunction() {
        JsonNode function = Template.resource("LockFunction");
        assertEquals("AWS::Serverless::Function", function.path("Type").asText());
        // No Role given: SAM makes the role, on RolePath, whole (a name CloudFormation makes is cut for long stacks).
        assertTrue(function.path("Properties").path("Role").isMissingNode(), "SAM makes the role");
        assertFalse(function.path("Properties").path("Policies").isMissingNode(), "its policies go on that role");
        assertEquals(FUNCTION_ROLE_PATH, function.path("Properties").path("RolePath").path("Fn::Sub").asText());
    }

    @Test
    void theKeyTableKeepsNoBackupNoPointInTimeRecoveryNoStreamAndRefusesCopies() {
        JsonNode table = Template.resource("PinKeysTable").path("Properties");
        assertFalse(table.path("PointInTimeRecoverySpecification").path("PointInTimeRecoveryEnabled").asBoolean(true),
                "point-in-time recovery explicitly off: " + table);
        assertTrue(table.path("StreamSpecification").isMissingNode(), "no stream");
        assertTrue(table.path("KinesisStreamSpecification").isMissingNode(), "no Kinesis stream");
        JsonNode refusal = table.path("ResourcePolicy").path("PolicyDocument").path("Statement").get(0);
        assertEquals("Deny", refusal.path("Effect").asText());
        assertEquals("*", refusal.path("Principal").asText());
        assertTrue(Template.actions(refusal).containsAll(List.of("dynamodb:CreateBackup",
                "dynamodb:RestoreTableToPointInTime", "dynamodb:ExportTableToPointInTime",
                "dynamodb:EnableKinesisStreamingDestination")), "" + Template.actions(refusal));
    }
}
