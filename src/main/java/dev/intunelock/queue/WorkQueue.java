package dev.intunelock.queue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.intunelock.aws.AwsClients;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * The work queue (SQS, {@code WORK_QUEUE_URL}): work put here reaches the function through Lambda's SQS event
 * source mapping ({@link QueueEventShape}), at the concurrency the mapping allows, and comes back when the function
 * says it is not done. {@code SQS_ENDPOINT} points the client at a local SQS-protocol server (ElasticMQ).
 */
@ApplicationScoped
public class WorkQueue {

    private static final Logger LOG = Logger.getLogger(WorkQueue.class);
    /** SQS takes at most 10 messages per SendMessageBatch. */
    private static final int SEND_BATCH = 10;
    /** SQS's longest visibility timeout. */
    public static final Duration LONGEST_WAIT = Duration.ofHours(12);

    private final SqsClient sqs;
    private final String queueUrl;

    WorkQueue(SqsClient sqs, @ConfigProperty(name = "work.queue.url") String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    /** Puts every message on the queue (batches of ten), or throws {@link QueueUnavailableException}. */
    public void send(List<String> bodies) {
        for (int from = 0; from < bodies.size(); from += SEND_BATCH) {
            sendBatch(bodies.subList(from, Math.min(bodies.size(), from + SEND_BATCH)));
        }
    }

    private void sendBatch(List<String> chunk) {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < chunk.size(); i++) {
            entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(chunk.get(i))
                    .build());
        }
        for (int round = 0; !entries.isEmpty(); round++) {
            if (round == 3) {
                throw new QueueUnavailableException("SQS refused " + entries.size() + " messages 3 times", null);
            }
            List<SendMessageBatchRequestEntry> sending = entries;
            SendMessageBatchResponse sent = call(() -> sqs.sendMessageBatch(request -> request
                    .queueUrl(queueUrl).entries(sending)));
            List<String> failed = sent.failed().stream().map(failure -> failure.id()).toList();
            entries = sending.stream().filter(entry -> failed.contains(entry.id())).toList();
        }
    }

    /** The message comes back after {@code wait} (at most SQS's 12 h); best effort: it comes back anyway. */
    public void returnAfter(String receiptHandle, Duration wait) {
        Duration bounded = wait.isNegative() ? Duration.ZERO : wait.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait;
        try {
            sqs.changeMessageVisibility(request -> request.queueUrl(queueUrl).receiptHandle(receiptHandle)
                    .visibilityTimeout((int) bounded.toSeconds()));
        } catch (SdkException failure) {
            LOG.warnf("A queue message's return could not be timed (%s); it returns after the queue's visibility "
                    + "timeout", failure.getClass().getSimpleName());
        }
    }

    private static <T> T call(java.util.function.Supplier<T> operation) {
        try {
            return operation.get();
        } catch (SdkException failure) {
            throw new QueueUnavailableException("The work queue is unavailable: " + failure.getMessage(), failure);
        }
    }

    /** The SQS client, built on first use with {@link AwsClients}' settings. */
    static class Client {
        @Produces
        @ApplicationScoped
        SqsClient sqsClient(@ConfigProperty(name = "aws.region") String region,
                @ConfigProperty(name = "sqs.endpoint") Optional<URI> endpoint) {
            return AwsClients.configured(SqsClient.builder(), region, endpoint).build();
        }
    }
}
