package dev.intunelock.testing.iam;

import java.net.URI;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.intunelock.testing.SecretsInSandbox;
import dev.intunelock.testing.Template;

/**
 * The AWS account the tests stand for: template.yaml "deployed" with the names the tests give their stand-ins (a
 * table, the queue and each secret are named like their logical ids or their test constants), and the ARNs IAM would
 * see for them. The test source {@code vaulted} plays the template's {@code siem} webhook source (its shared secrets in
 * Secrets Manager); the certificate test reads {@link #GRAPH_CLIENT_CERTIFICATE}, the others the client secret.
 */
public final class TestAccount {

    public static final String PARTITION = "aws";
    public static final String REGION = "eu-west-1";
    public static final String ACCOUNT = "123456789012";
    /** The name the function is given for its PIN key (the template gives the key's ARN; an alias names it too). */
    public static final String PIN_KEY_ALIAS = "alias/intune-lock-test-pins";
    public static final String GRAPH_CLIENT_CERTIFICATE = "intune-lock/test/graph-client-certificate";
    /** Secrets Manager ends every secret's ARN with '-' and six random characters. */
    static final String SECRET_SUFFIX = "-Ab12Cd";

    /** The stack's parameters as the tests deploy it (the rest keep their defaults). */
    static final Map<String, String> PARAMETERS = Map.of(
            "Build", "jvm",
            "IntuneTenantId", "test-tenant",
            "IntuneClientId", "test-client",
            "ApiAudience", "api://intune-lock-test",
            "IntuneClientCertificateSecretName", GRAPH_CLIENT_CERTIFICATE,
            "IntuneClientSecretName", SecretsInSandbox.GRAPH_CLIENT_SECRET,
            "SiemWebhookSecretName", SecretsInSandbox.VAULTED_WEBHOOK_SECRETS);

    private TestAccount() {
    }

    public static String tableArn(String tableName) {
        return arn("dynamodb", "table/" + tableName);
    }

    /** A queue's ARN from its URL ({@code .../<account>/<name>}): the name is the URL's last segment. */
    public static String queueArn(String queueUrl) {
        String path = URI.create(queueUrl).getPath();
        return arn("sqs", path.substring(path.lastIndexOf('/') + 1));
    }

    /** The key a KMS call names: by ARN as is, by the tests' alias the template's PinKey, any other alias its own. */
    public static String keyArn(String keyId) {
        if (keyId.startsWith("arn:")) {
            return keyId;
        }
        if (keyId.equals(PIN_KEY_ALIAS)) {
            return arnOf("PinKey");
        }
        return keyId.startsWith("alias/") ? arn("kms", keyId) : arn("kms", "key/" + keyId);
    }

    /** A secret named by name or by ARN. */
    public static String secretArn(String secretId) {
        return secretId.startsWith("arn:") ? secretId : arn("secretsmanager", "secret:" + secretId + SECRET_SUFFIX);
    }

    /** {@code !GetAtt <logicalId>.Arn} of a template resource, in this account. */
    public static String arnOf(String logicalId) {
        String type = resourceType(logicalId);
        return switch (type) {
            case "AWS::DynamoDB::Table" -> tableArn(logicalId);
            case "AWS::SQS::Queue" -> arn("sqs", logicalId);
            case "AWS::KMS::Key" -> arn("kms", "key/" + logicalId);
            case "AWS::SNS::Topic" -> arn("sns", logicalId);
            case "AWS::Logs::LogGroup" -> arn("logs", "log-group:" + logicalId);
            default -> throw new IllegalArgumentException("No test ARN for " + logicalId + " (" + type + ")");
        };
    }

    /** {@code !Ref <logicalId>} of a template resource: its physical id, as the tests name it. */
    static String physicalId(String logicalId) {
        return switch (resourceType(logicalId)) {
            case "AWS::SQS::Queue" -> "https://sqs." + REGION + ".amazonaws.com/" + ACCOUNT + "/" + logicalId;
            case "AWS::KMS::Key" -> logicalId;
            default -> logicalId;
        };
    }

    private static String resourceType(String logicalId) {
        JsonNode resource = Template.resource(logicalId);
        if (resource.isMissingNode()) {
            throw new IllegalArgumentException("template.yaml has no resource " + logicalId);
        }
        return resource.path("Type").asText();
    }

    private static String arn(String service, String resource) {
        return "arn:" + PARTITION + ":" + service + ":" + REGION + ":" + ACCOUNT + ":" + resource;
    }
}
