package dev.intunelock.aws;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * What every AWS client of the function shares: the light URL-connection HTTP client, time limits on each try and
 * on each call (AWS answers in milliseconds; a store or key service that does not ends a request in seconds, well
 * inside the function's timeout), and the endpoint. In Lambda, credentials come from the environment the runtime
 * sets; with a local endpoint override (dynalite, the sandbox's KMS) placeholder credentials are used, since those
 * servers do not check them. Clients are built on first use, never at start-up.
 */
public final class AwsClients {

    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    /** One try of one call (a try this slow is retried by the SDK). */
    public static final Duration ATTEMPT_TIMEOUT = Duration.ofMillis(1500);
    /** One call with the SDK's retries. */
    public static final Duration CALL_TIMEOUT = Duration.ofSeconds(4);

    private AwsClients() {
    }

    public static <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configured(B builder,
            String region, Optional<URI> localEndpoint) {
        builder.region(Region.of(region))
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(CONNECT_TIMEOUT)
                        .socketTimeout(ATTEMPT_TIMEOUT))
                .overrideConfiguration(calls -> calls
                        .apiCallAttemptTimeout(ATTEMPT_TIMEOUT)
                        .apiCallTimeout(CALL_TIMEOUT));
        localEndpoint.ifPresentOrElse(
                local -> builder.endpointOverride(local).credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))),
                () -> builder.credentialsProvider(EnvironmentVariableCredentialsProvider.create()));
        return builder;
    }
}
