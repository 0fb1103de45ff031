package dev.intunelock.storage;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;

/**
 * The DynamoDB clients, built on first use (not at start-up) with the light URL-connection HTTP client. Every call
 * has its own time limits (each try, and all tries together), so that a slow or unreachable store ends a request in
 * seconds, well inside the function's timeout, instead of at an unknown point.
 * In Lambda, credentials come from the environment the runtime sets; with {@code DYNAMODB_ENDPOINT} (a local
 * DynamoDB-protocol server) placeholder credentials are used, since it does not check them.
 */
public class DynamoDb {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    /** One try of one call (DynamoDB answers in milliseconds; a try this slow is retried by the SDK). */
    static final Duration ATTEMPT_TIMEOUT = Duration.ofMillis(1500);
    /** One call with the SDK's retries. */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(4);

    @Produces
    @ApplicationScoped
    DynamoDbClient dynamoDbClient(@ConfigProperty(name = "aws.region") String region,
            @ConfigProperty(name = "dynamodb.endpoint") Optional<URI> endpoint) {
        DynamoDbClientBuilder builder = DynamoDbClient.builder()
                .region(Region.of(region))
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(CONNECT_TIMEOUT)
                        .socketTimeout(ATTEMPT_TIMEOUT))
                .overrideConfiguration(calls -> calls
                        .apiCallAttemptTimeout(ATTEMPT_TIMEOUT)
                        .apiCallTimeout(CALL_TIMEOUT));
        endpoint.ifPresentOrElse(
                local -> builder.endpointOverride(local)
                        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))),
                () -> builder.credentialsProvider(EnvironmentVariableCredentialsProvider.create()));
        return builder.build();
    }

    @Produces
    @ApplicationScoped
    DynamoDbEnhancedClient enhancedClient(DynamoDbClient client) {
        return DynamoDbEnhancedClient.builder().dynamoDbClient(client).build();
    }
}
