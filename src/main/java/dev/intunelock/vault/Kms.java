package dev.intunelock.vault;

import java.net.URI;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.intunelock.aws.AwsClients;
import software.amazon.awssdk.services.kms.KmsClient;

/** The AWS KMS client, built on first use; {@code KMS_ENDPOINT} points it at a KMS-protocol server. */
public class Kms {

    @Produces
    @ApplicationScoped
    KmsClient kmsClient(@ConfigProperty(name = "aws.region") String region,
            @ConfigProperty(name = "kms.endpoint") Optional<URI> endpoint) {
        return AwsClients.configured(KmsClient.builder(), region, endpoint).build();
    }
}
