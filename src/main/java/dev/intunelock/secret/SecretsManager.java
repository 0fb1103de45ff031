package dev.intunelock.secret;

import java.net.URI;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.intunelock.aws.AwsClients;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The AWS Secrets Manager client, built on first use; {@code SECRETS_MANAGER_ENDPOINT} points it at a
 * Secrets-Manager-protocol server.
 */
public class SecretsManager {

    @Produces
    @ApplicationScoped
    SecretsManagerClient secretsManagerClient(@ConfigProperty(name = "aws.region") String region,
            @ConfigProperty(name = "secrets-manager.endpoint") Optional<URI> endpoint) {
        return AwsClients.configured(SecretsManagerClient.builder(), region, endpoint).build();
    }
}
