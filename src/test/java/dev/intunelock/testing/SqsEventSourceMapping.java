package dev.intunelock.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.intunelock.testing.iam.AwsCall;
import dev.intunelock.testing.iam.FunctionCallRecorder;
import dev.intunelock.testing.iam.TestAccount;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * What Lambda's SQS event source mapping does, done by the tests: pollers take up to ten messages from the queue
 * (ElasticMQ), hand them to the function as one SQS event through the Lambda event path, delete those the function
 * did not list in {@code batchItemFailures}, and leave the rest to come back after their visibility timeout (or
 * the wait the function set). An invocation that fails outright deletes nothing.
 */
public final class SqsEventSourceMapping implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ARN = "arn:aws:sqs:eu-west-1:000000000000:" + SqsStandIn.QUEUE_NAME;

    private final URI invoke;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<Thread> pollers = new ArrayList<>();
    private final AtomicInteger invocations = new AtomicInteger();
    private final AtomicInteger failedInvocations = new AtomicInteger();
    private volatile boolean running = true;

    private SqsEventSourceMapping(URI invoke, int concurrency) {
        this.invoke = invoke;
        // Lambda reads the queue's attributes with the function's role when the mapping is made, then polls with it.
        if (!FunctionCallRecorder.madeWithTheRole(AwsCall.of("sqs:GetQueueAttributes", TestAccount.queueArn(SqsStandIn.queueUrl())))) {
            running = false;
            return;
        }
        for (int i = 0; i < concurrency; i++) {
            Thread poller = new Thread(this::poll, "sqs-event-source-" + i);
            poller.setDaemon(true);
            pollers.add(poller);
            poller.start();
        }
    }

    /** Polls the work queue into the function under test (its Lambda event path at {@code invoke}). */
    public static SqsEventSourceMapping start(URI invoke, int concurrency) {
        return new SqsEventSourceMapping(invoke, concurrency);
    }

    /** Into the function on this port, through its raw event entry ({@value LambdaRuntimeEmulator#RAW_EVENTS}). */
    public static SqsEventSourceMapping intoPort(int port, int concurrency) {
        return start(URI.create("http://127.0.0.1:" + port + LambdaRuntimeEmulator.RAW_EVENTS), concurrency);
    }

    /**
     * Into the {@code @QuarkusTest} function, through the mock event server's raw entry (its port from the
     * configuration: rest-assured's port is not set yet in {@code @BeforeAll}).
     */
    public static SqsEventSourceMapping intoQuarkusTest(int concurrency) {
        return intoPort(org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getOptionalValue("quarkus.lambda.mock-event-server.test-port", Integer.class).orElse(8081),
                concurrency);
    }

    public int invocations() {
        return invocations.get();
    }

    public int failedInvocations() {
        return failedInvocations.get();
    }

    private void poll() {
        while (running) {
            if (!FunctionCallRecorder.madeWithTheRole(AwsCall.of("sqs:ReceiveMessage", TestAccount.queueArn(SqsStandIn.queueUrl())))) {
                return; // the mapping cannot poll: nothing reaches the function, and the test fails on the denial
            }
            List<Message> messages;
            try {
                messages = SqsStandIn.client().receiveMessage(request -> request.queueUrl(SqsStandIn.queueUrl())
                        .maxNumberOfMessages(10).waitTimeSeconds(1)
                        .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
            } catch (RuntimeException stopping) {
                if (running) {
                    sleep(200);
                }
                continue;
            }
            if (!messages.isEmpty()) {
                deliver(messages);
            }
        }
    }

    private void deliver(List<Message> messages) {
        invocations.incrementAndGet();
        Set<String> notDone;
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(invoke).timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(event(messages))).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode failures = JSON.readTree(answer.body()).get("batchItemFailures");
            if (answer.statusCode() != 200 || failures == null) {
                failedInvocations.incrementAndGet();
                return;
            }
            notDone = new HashSet<>();
            failures.forEach(failure -> notDone.add(failure.path("itemIdentifier").asText()));
        } catch (Exception failed) {
            failedInvocations.incrementAndGet();
            return;
        }
        List<DeleteMessageBatchRequestEntry> done = messages.stream()
                .filter(message -> !notDone.contains(message.messageId()))
                .map(message -> DeleteMessageBatchRequestEntry.builder().id(message.messageId())
                        .receiptHandle(message.receiptHandle()).build())
                .toList();
        if (!done.isEmpty() && FunctionCallRecorder.madeWithTheRole(AwsCall.of("sqs:DeleteMessage", TestAccount.queueArn(SqsStandIn.queueUrl())))) {
            SqsStandIn.client().deleteMessageBatch(request -> request.queueUrl(SqsStandIn.queueUrl()).entries(done));
        }
    }

    /** The event Lambda hands a function for SQS messages. */
    static String event(List<Message> messages) {
        ObjectNode event = JSON.createObjectNode();
        ArrayNode records = event.putArray("Records");
        for (Message message : messages) {
            ObjectNode record = records.addObject();
            record.put("messageId", message.messageId());
            record.put("receiptHandle", message.receiptHandle());
            record.put("body", message.body());
            ObjectNode attributes = record.putObject("attributes");
            message.attributesAsStrings().forEach(attributes::put);
            record.putObject("messageAttributes");
            record.put("md5OfBody", message.md5OfBody());
            record.put("eventSource", "aws:sqs");
            record.put("eventSourceARN", ARN);
            record.put("awsRegion", "eu-west-1");
        }
        return event.toString();
    }

    @Override
    public void close() {
        running = false;
        pollers.forEach(poller -> {
            try {
                poller.join(5000);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
