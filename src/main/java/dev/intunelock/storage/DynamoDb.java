package dev.intunelock.storage;

import java.net.URI;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.intunelock.aws.AwsClients;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The DynamoDB clients, built on first use (not at start-up) with {@link AwsClients}' settings.
 * {@code DYNAMODB_ENDPOINT} points them at a local DynamoDB-protocol server.
 */
public class DynamoDb {

    @Produces
    @ApplicationScoped
    DynamoDbClient dynamoDbClient(@ConfigProperty(name = "aws.region") String region,
            @ConfigProperty(name = "dynamodb.endpoint") Optional<URI> endpoint) {
        return AwsClients.configured(DynamoDbClient.builder(), region, endpoint).build();
    }

    @Produces
    @ApplicationScoped
    DynamoDbEnhancedClient enhancedClient(DynamoDbClient client) {
        return DynamoDbEnhancedClient.builder().dynamoDbClient(client).build();
    }
}
