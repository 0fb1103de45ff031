package dev.intunelock.storage;

import java.net.URI;
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
 * The DynamoDB clients, built on first use (not at start-up) with the light URL-connection HTTP client.
 * In Lambda, credentials come from the environment the runtime sets; with {@code DYNAMODB_ENDPOINT} (a local
 * DynamoDB-protocol server) placeholder credentials are used, since it does not check them.
 */
public class DynamoDb {

    @Produces
    @ApplicationScoped
    DynamoDbClient dynamoDbClient(@ConfigProperty(name = "aws.region") String region,
            @ConfigProperty(name = "dynamodb.endpoint") Optional<URI> endpoint) {
        DynamoDbClientBuilder builder = DynamoDbClient.builder()
                .region(Region.of(region))
                .httpClientBuilder(UrlConnectionHttpClient.builder());
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
