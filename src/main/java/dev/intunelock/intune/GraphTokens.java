package dev.intunelock.intune;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.intunelock.secret.SecretUnavailable;

/**
 * Graph's app-only access token (client-credentials flow at Entra ID's token endpoint), fetched on the first Graph
 * call, not at start-up, and kept until {@link #RENEW_BEFORE} its expiry. A credential the endpoint rejects
 * ({@code invalid_client}: rotated or revoked) is read again and the request made once more. A token that cannot be
 * had is {@link GraphUnavailableException} that never reached Graph, so the lock stays retryable.
 */
@ApplicationScoped
class GraphTokens {

    private static final Logger LOG = Logger.getLogger(GraphTokens.class);
    static final Duration RENEW_BEFORE = Duration.ofMinutes(5);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(4);
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Token(String value, Instant renewAt) {
        @Override
        public String toString() {
            return "Token[renew at " + renewAt + "]";
        }
    }

    private final GraphCredential credential;
    private final Clock clock;
    private final String tokenUrl;
    private volatile Token token;
    private volatile HttpClient http;

    GraphTokens(GraphCredential credential, Clock clock, @ConfigProperty(name = "intune.token-url") String tokenUrl) {
        this.credential = credential;
        this.clock = clock;
        this.tokenUrl = tokenUrl;
    }

    /** The {@code Authorization} header value for a Graph call. */
    String authorization() {
        Token current = token;
        if (current == null || !clock.instant().isBefore(current.renewAt())) {
            current = renewed();
        }
        return "Bearer " + current.value();
    }

    /** Graph refused the token (401): the next call fetches a new one. */
    void forget() {
        token = null;
    }

    private synchronized Token renewed() {
        Token current = token;
        if (current != null && clock.instant().isBefore(current.renewAt())) {
            return current;
        }
        try {
            HttpResponse<String> answer = post(credential.tokenRequest(tokenUrl));
            if (credentialRejected(answer)) {
                Optional<Map<String, String>> rotated = credential.rotatedTokenRequest(tokenUrl);
                if (rotated.isPresent()) {
                    answer = post(rotated.get());
                }
            }
            token = read(answer);
            return token;
        } catch (SecretUnavailable | IllegalArgumentException | IllegalStateException credentialUnusable) {
            throw unavailable("credentialUnavailable", credentialUnusable.getMessage(), credentialUnusable);
        } catch (IOException unreachable) {
            throw unavailable("tokenEndpointUnreachable", "Entra ID's token endpoint could not be reached: "
                    + unreachable.getClass().getSimpleName(), unreachable);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw unavailable("tokenEndpointUnreachable", "interrupted", interrupted);
        }
    }

    private Token read(HttpResponse<String> answer) throws IOException {
        JsonNode body = parse(answer.body());
        if (answer.statusCode() == 200 && body.path("access_token").isTextual()) {
            long lifetime = body.path("expires_in").asLong(3599);
            return new Token(body.path("access_token").asText(), clock.instant().plusSeconds(lifetime)
                    .minus(RENEW_BEFORE));
        }
        String error = body.path("error").asText("http" + answer.statusCode());
        String description = body.path("error_description").asText("");
        LOG.errorf("Graph token refused by Entra ID (%d %s): %s", answer.statusCode(), error,
                description.lines().findFirst().orElse(""));
        throw unavailable(error.equals("invalid_client") ? "credentialRejected" : "tokenRefused",
                "Entra ID refused the app's token request (" + error + "): check the Intune app's credential.", null);
    }

    private static boolean credentialRejected(HttpResponse<String> answer) {
        return (answer.statusCode() == 400 || answer.statusCode() == 401)
                && "invalid_client".equals(parse(answer.body()).path("error").asText());
    }

    private HttpResponse<String> post(Map<String, String> form) throws IOException, InterruptedException {
        String body = form.entrySet().stream()
                .map(field -> encode(field.getKey()) + "=" + encode(field.getValue()))
                .collect(Collectors.joining("&"));
        return client().send(HttpRequest.newBuilder(URI.create(tokenUrl)).timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpClient client() {
        HttpClient client = http;
        if (client == null) {
            client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
            http = client;
        }
        return client;
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body == null || body.isBlank() ? "{}" : body);
        } catch (IOException notJson) {
            return JSON.createObjectNode();
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static GraphUnavailableException unavailable(String code, String message, Throwable cause) {
        return new GraphUnavailableException(new GraphFailure(0, code, message, null, null, false), cause);
    }
}
