package dev.intunelock.intune;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Turns what came back from Graph (or did not) into a {@link GraphException}. */
final class GraphErrors {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_MESSAGE = 300;

    private GraphErrors() {
    }

    static GraphException fromResponse(Response response) {
        int status = response.getStatus();
        String code = "http" + status;
        String message = response.getStatusInfo().getReasonPhrase();
        String requestId = response.getHeaderString("request-id");
        try {
            String body = response.hasEntity() ? response.readEntity(String.class) : null;
            JsonNode error = body == null || body.isBlank() ? null : JSON.readTree(body).path("error");
            if (error != null && error.isObject()) {
                code = error.path("code").asText(code);
                message = truncate(error.path("message").asText(message));
                requestId = error.path("innerError").path("request-id").asText(requestId);
            }
        } catch (Exception unreadable) {
            // Not Graph's JSON error shape (e.g. a gateway's HTML page): status and headers still say enough.
        }
        GraphFailure failure = new GraphFailure(status, code, message, requestId,
                retryAfterSeconds(response.getHeaderString("Retry-After")));
        return status == 429 || status >= 500
                ? new GraphUnavailableException(failure, null)
                : new GraphRejectedException(failure);
    }

    /** A failure with no HTTP answer: connection refused, timeout, token endpoint down, circuit open. */
    static GraphUnavailableException noAnswer(Throwable cause) {
        String code = isConnectFailure(cause) ? "connectionFailed"
                : isTimeout(cause) ? "timeout"
                : cause.getClass().getSimpleName();
        return new GraphUnavailableException(new GraphFailure(0, code, truncate(String.valueOf(cause.getMessage())),
                null, null), cause);
    }

    /** True when the request cannot have reached Graph, so sending it again cannot act twice. */
    static boolean isConnectFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static boolean isTimeout(Throwable failure) {
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            if (t.getClass().getSimpleName().contains("Timeout")) {
                return true;
            }
        }
        return false;
    }

    static Long retryAfterSeconds(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            return Math.max(0, Long.parseLong(header.trim()));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(header.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return Math.max(0, Duration.between(Instant.now(), at).toSeconds());
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    private static String truncate(String text) {
        return text == null || text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE) + "…";
    }
}
