package dev.intunelock.testing;

import java.net.URI;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/** Secrets in the sandbox's Secrets Manager stand-in, made and rotated the way an operator would, with the AWS SDK. */
public final class SecretsInSandbox {

    /** The Intune app's client secret the tests' function reads at first use. */
    public static final String GRAPH_CLIENT_SECRET = "intune-lock/test/graph-client-secret";
    /** The shared secrets of the test webhook source {@code vaulted}. */
    public static final String VAULTED_WEBHOOK_SECRETS = "intune-lock/test/webhook-vaulted";

    private SecretsInSandbox() {
    }

    /** Sets the secret's current value, creating it if needed (as a rotation does). */
    public static void put(String name, String value) {
        put(LocalStack.sandboxUrl(), name, value);
    }

    static void create(String sandboxUrl, String name, String value) {
        put(sandboxUrl, name, value);
    }

    private static void put(String sandboxUrl, String name, String value) {
        try (SecretsManagerClient client = SecretsManagerClient.builder().region(Region.EU_WEST_1)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .endpointOverride(URI.create(sandboxUrl + "/secretsmanager"))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build()) {
            try {
                client.putSecretValue(r -> r.secretId(name).secretString(value));
            } catch (ResourceNotFoundException absent) {
                client.createSecret(r -> r.name(name).secretString(value));
            }
        }
    }
}
