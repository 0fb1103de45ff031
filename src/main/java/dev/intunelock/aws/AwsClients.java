package dev.intunelock.aws;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import dev.intunelock.timing.AwsCallTiming;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.regions.Region;

/**
 * What every AWS client of the function shares: one HTTP transport ({@link UrlConnectionTransport}), time limits
 * on each try and on each call (AWS answers in milliseconds; a store or key service that does not ends a request in
 * seconds, well inside the function's timeout), and the endpoint. In Lambda, credentials come from the environment
 * the runtime sets; with a local endpoint override (dynalite, the sandbox's KMS) placeholder credentials are used,
 * since those servers do not check them. Clients are built on first use, never at start-up.
 */
public final class AwsClients {

    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    /** One try of one call (a try this slow is retried by the SDK). */
    public static final Duration ATTEMPT_TIMEOUT = Duration.ofMillis(1500);
    /** One call with the SDK's retries. */
    public static final Duration CALL_TIMEOUT = Duration.ofSeconds(4);

    private AwsClients() {
    }

    /** One HTTP client (one connection pool) for every AWS client, made when the first of them is. */
    private static final class SharedTransport {
        static final UrlConnectionTransport CLIENT = new UrlConnectionTransport(CONNECT_TIMEOUT, ATTEMPT_TIMEOUT);
    }

    public static <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configured(B builder,
            String region, Optional<URI> localEndpoint) {
        builder.region(Region.of(region))
                .httpClient(SharedTransport.CLIENT)
                .overrideConfiguration(calls -> calls
                        .apiCallAttemptTimeout(ATTEMPT_TIMEOUT)
                        .apiCallTimeout(CALL_TIMEOUT)
                        .addExecutionInterceptor(new AwsCallTiming()));
        localEndpoint.ifPresentOrElse(
                local -> builder.endpointOverride(local).credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))),
                () -> builder.credentialsProvider(EnvironmentVariableCredentialsProvider.create()));
        return builder;
    }
}
