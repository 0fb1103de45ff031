package dev.intunelock.testing;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;

import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * ElasticMQ, a real SQS-protocol server, holding the function's work queue as template.yaml declares it (same
 * visibility timeout), for the tests as dynalite is for DynamoDB.
 */
public final class SqsStandIn {

    public static final String QUEUE_NAME = "LockWorkQueue";

    private static SQSRestServer server;
    private static String endpoint;
    private static String queueUrl;
    private static SqsClient client;

    private SqsStandIn() {
    }

    static synchronized void start() {
        start(0);
    }

    /** On {@code port}, or on a free one when it is 0. */
    static synchronized void start(int port) {
        if (server != null) {
            return;
        }
        server = port == 0 ? SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start()
                : SQSRestServerBuilder.withInterface("127.0.0.1").withPort(port).start();
        InetSocketAddress bound = server.waitUntilStarted().localAddress();
        endpoint = "http://127.0.0.1:" + bound.getPort();
        client = SqsClient.builder().region(Region.EU_WEST_1).endpointOverride(URI.create(endpoint))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create()).build();
        queueUrl = client.createQueue(request -> request.queueName(QUEUE_NAME).attributes(Map.of(
                QueueAttributeName.VISIBILITY_TIMEOUT, Template.resource(QUEUE_NAME).path("Properties")
                        .path("VisibilityTimeout").asText()))).queueUrl();
    }

    static synchronized void stop() {
        if (server != null) {
            client.close();
            server.stopAndWait();
            server = null;
        }
    }

    public static String endpoint() {
        return endpoint;
    }

    public static String queueUrl() {
        return queueUrl;
    }

    public static SqsClient client() {
        return client;
    }

    /** Empties the queue (a test that leaves work behind must not hand it to the next). */
    public static void purge() {
        client.purgeQueue(request -> request.queueUrl(queueUrl));
    }
}
