package dev.intunelock.testing.iam;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * AWS's authorisation, applied in the tests: every AWS call the function makes (an SDK call whose caller is the
 * function's code, not a test's own set-up or inspection) is turned into the requests IAM authorises
 * ({@link AwsCall}: one per table a batch touches, per item a transaction holds) and decided by the template's policy
 * ({@link DeployedPolicy}). A denied call fails as AWS fails it (400 AccessDeniedException, nothing sent) and is
 * written down so that the test it happened in fails ({@link DeniedCallsFailTheTest}), even where the function
 * handles the error; every call is written to the {@link CallLedger} for {@code EveryGrantIsExercisedIT}.
 * Installed in every SDK client of the test JVM by {@code software/amazon/awssdk/global/handlers/execution.interceptors}.
 */
public final class FunctionCallRecorder implements ExecutionInterceptor {

    private static final Map<Class<?>, Boolean> TEST_CODE = new ConcurrentHashMap<>();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (madeByTestCode()) {
            return;
        }
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        for (AwsCall call : calls(service, operation, context.request())) {
            DeployedPolicy.Decision decision = DeployedPolicy.decide(call);
            CallLedger.record(call, decision);
            if (!decision.allowed()) {
                String message = "User: arn:aws:sts::" + TestAccount.ACCOUNT + ":assumed-role/LockFunctionRole/"
                        + "intune-lock is not authorized to perform: " + call.action() + " on resource: "
                        + call.resource() + " because " + decision.why() + " (template.yaml, " + DeployedPolicy.FUNCTION
                        + ")";
                throw AwsServiceException.builder().statusCode(400).message(message)
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDeniedException")
                                .errorMessage(message).serviceName(service).build())
                        .build();
            }
        }
    }

    /**
     * A call AWS makes with the function's role on the function's behalf (Lambda's SQS event source mapping
     * receiving and deleting work, checking the queue when it is made), as the tests' stand-in for it makes it: the
     * same policy decides, the ledger holds it, and a denial fails the test it happens in. False when denied: the
     * caller stops as AWS would.
     */
    public static boolean madeWithTheRole(AwsCall call) {
        DeployedPolicy.Decision decision = DeployedPolicy.decide(call);
        CallLedger.record(call, decision);
        return decision.allowed();
    }

    /** What IAM authorises for one SDK call. */
    public static List<AwsCall> calls(String service, String operation, SdkRequest request) {
        return switch (service) {
            case "DynamoDb" -> dynamoDb(operation, request);
            case "Sqs" -> List.of(AwsCall.of("sqs:" + sqsAction(operation),
                    TestAccount.queueArn(field(request, "QueueUrl"))));
            case "Kms" -> List.of(kms(operation, request));
            case "SecretsManager" -> List.of(AwsCall.of("secretsmanager:" + operation,
                    TestAccount.secretArn(field(request, "SecretId"))));
            default -> throw new UnsupportedOperationException("The policy check does not know " + service
                    + " (" + operation + "); teach FunctionCallRecorder its resources first");
        };
    }

    private static List<AwsCall> dynamoDb(String operation, SdkRequest request) {
        if (request instanceof BatchWriteItemRequest batch) {
            List<AwsCall> calls = new ArrayList<>();
            batch.requestItems().forEach((table, writes) -> calls.add(AwsCall.of("dynamodb:BatchWriteItem",
                    TestAccount.tableArn(table)).with("dynamodb:LeadingKeys", writes.stream()
                            .map(FunctionCallRecorder::leadingKey).distinct().toList())));
            return calls;
        }
        if (request instanceof BatchGetItemRequest batch) {
            List<AwsCall> calls = new ArrayList<>();
            batch.requestItems().forEach((table, keys) -> calls.add(AwsCall.of("dynamodb:BatchGetItem",
                    TestAccount.tableArn(table)).with("dynamodb:LeadingKeys", keys.keys().stream()
                            .map(FunctionCallRecorder::partitionValue).distinct().toList())));
            return calls;
        }
        if (request instanceof TransactWriteItemsRequest transaction) {
            return transaction.transactItems().stream().map(item -> item.put() != null
                    ? item(item.put().tableName(), "PutItem", item.put().item())
                    : item.update() != null ? item(item.update().tableName(), "UpdateItem", item.update().key())
                    : item.delete() != null ? item(item.delete().tableName(), "DeleteItem", item.delete().key())
                    : item(item.conditionCheck().tableName(), "ConditionCheckItem", item.conditionCheck().key()))
                    .toList();
        }
        if (request instanceof TransactGetItemsRequest transaction) {
            return transaction.transactItems().stream()
                    .map(item -> item(item.get().tableName(), "GetItem", item.get().key())).toList();
        }
        String table = TestAccount.tableArn(field(request, "TableName"));
        Optional<String> index = request.getValueForField("IndexName", String.class);
        AwsCall call = AwsCall.of("dynamodb:" + operation, index.map(name -> table + "/index/" + name).orElse(table));
        Optional<Map> key = request.getValueForField("Key", Map.class).or(() -> request.getValueForField("Item",
                Map.class));
        return List.of(key.map(item -> call.with("dynamodb:LeadingKeys", List.of(partitionValue(item))))
                .orElseGet(() -> call.unknown("dynamodb:LeadingKeys")));
    }

    private static AwsCall item(String table, String action, Map<String, AttributeValue> key) {
        return AwsCall.of("dynamodb:" + action, TestAccount.tableArn(table))
                .with("dynamodb:LeadingKeys", List.of(partitionValue(key)));
    }

    private static String leadingKey(WriteRequest write) {
        return partitionValue(write.putRequest() != null ? write.putRequest().item() : write.deleteRequest().key());
    }

    /** Every table of template.yaml is keyed by {@code pk}. */
    private static String partitionValue(Map<?, ?> item) {
        AttributeValue pk = (AttributeValue) item.get("pk");
        return pk == null ? "" : pk.s();
    }

    private static AwsCall kms(String operation, SdkRequest request) {
        String keyId = request.getValueForField("KeyId", String.class).orElseThrow(() -> new IllegalStateException(
                "The function's " + operation + " names no KeyId: IAM then authorises the key inside the ciphertext, "
                        + "which the policy check cannot read. Name the key."));
        AwsCall call = AwsCall.of("kms:" + operation, TestAccount.keyArn(keyId));
        Map<?, ?> context = request.getValueForField("EncryptionContext", Map.class).orElse(Map.of());
        for (Map.Entry<?, ?> pair : context.entrySet()) {
            call = call.with("kms:EncryptionContext:" + pair.getKey(), List.of((String) pair.getValue()));
        }
        return call.with("kms:EncryptionContextKeys", context.keySet().stream().map(String.class::cast).toList());
    }

    /** SQS's batch operations are authorised as their single forms. */
    private static String sqsAction(String operation) {
        return operation.endsWith("Batch") ? operation.substring(0, operation.length() - "Batch".length()) : operation;
    }

    private static String field(SdkRequest request, String name) {
        return request.getValueForField(name, String.class).orElseThrow(() -> new IllegalStateException(
                request.getClass().getSimpleName() + " without " + name));
    }

    /**
     * Whether the SDK was called by a test's own code (setting up the stand-ins, tampering with the store, feeding
     * the queue as Lambda's event source mapping does) rather than the function's: the first frame outside the SDK
     * and the JDK belongs to a class compiled from src/test.
     */
    private static boolean madeByTestCode() {
        return StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).walk(frames -> frames
                .map(StackWalker.StackFrame::getDeclaringClass)
                .filter(type -> type != FunctionCallRecorder.class && !outsideTheProject(type.getName()))
                .findFirst()
                .map(type -> TEST_CODE.computeIfAbsent(type, FunctionCallRecorder::compiledFromTests))
                .orElse(true));
    }

    private static boolean outsideTheProject(String className) {
        return !className.startsWith("dev.intunelock.");
    }

    private static boolean compiledFromTests(Class<?> type) {
        Class<?> host = type.getNestHost();
        var location = host.getClassLoader() == null ? null
                : host.getClassLoader().getResource(host.getName().replace('.', '/') + ".class");
        return location != null && location.toString().contains("/test-classes/");
    }
}
