package dev.intunelock.intune;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.intunelock.metrics.Metrics;

/**
 * Turns what came back from Graph (or did not) into a {@link GraphException}, and decides, in this one place, whether
 * Graph may have acted on the request all the same ({@link GraphFailure#mayHaveActed()}): it may after a timeout or a
 * server error other than 503 (a gateway that gave up, an internal error); it did not after a refused connection, an
 * open breaker, a call never started, 429, 503 or any other 4xx.
 */
final class GraphErrors {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_MESSAGE = 300;

    private GraphErrors() {
    }

    static GraphException fromResponse(Response response) {
        int status = response.getStatus();
        if (status == 429) {
            Metrics.count(Metrics.GRAPH_THROTTLED);
        } else if (status >= 500) {
            Metrics.count(Metrics.GRAPH_SERVER_ERRORS);
        }
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
                retryAfterSeconds(response.getHeaderString("Retry-After")), status >= 500 && status != 503);
        return status == 429 || status >= 500
                ? new GraphUnavailableException(failure, null)
                : new GraphRejectedException(failure);
    }

    /**
     * A failure with no HTTP answer: connection refused, timeout, token endpoint down. Only a connection that was
     * never made certainly did not reach Graph.
     */
    static GraphUnavailableException noAnswer(Throwable cause) {
        boolean connectFailure = isConnectFailure(cause);
        String code = connectFailure ? "connectionFailed"
                : isTimeout(cause) ? "timeout"
                : cause.getClass().getSimpleName();
        return new GraphUnavailableException(new GraphFailure(0, code, truncate(String.valueOf(cause.getMessage())),
                null, null, !connectFailure), cause);
    }

    /** The breaker is open: no call was made. */
    static GraphUnavailableException circuitOpen(Throwable cause) {
        return new GraphUnavailableException(new GraphFailure(0, "circuitOpen",
                "Graph failed repeatedly; calls are paused for a short while before being tried again.", null, null,
                false), cause);
    }

    /** The call outlived its attempt timeout: Graph may have acted on it. */
    static GraphUnavailableException timedOut(Throwable cause) {
        return new GraphUnavailableException(new GraphFailure(0, "timeout",
                "Graph did not answer in time; whether it acted on the request is unknown.", null, null, true), cause);
    }

    /** The call was not made: too little of the work's time was left ({@link GraphDeadline}). */
    static GraphUnavailableException notStarted() {
        return new GraphUnavailableException(new GraphFailure(0, "budgetExhausted",
                "Not enough of this invocation's time was left to call Graph; the next attempt will.", null, 0L,
                false), null);
    }

    /** A list whose pages did not end: not read further, nothing is decided on part of it. */
    static GraphUnavailableException listNotEnding(int pages) {
        return new GraphUnavailableException(new GraphFailure(0, "listNotEnding",
                "Graph's list still had a next page after " + pages + " pages; it was not read further.", null, null,
                false), null);
    }

    /** A next-page link to somewhere other than Graph: not followed, since the app's token would go with it. */
    static GraphUnavailableException nextLinkNotGraphs(String link) {
        String host;
        try {
            host = URI.create(link).getHost();
        } catch (IllegalArgumentException malformed) {
            host = null;
        }
        return new GraphUnavailableException(new GraphFailure(0, "nextLinkNotGraph",
                "Graph's next page link does not point to Graph (" + (host == null ? "no host" : host)
                        + "); it was not followed.", null, null, false), null);
    }

    private static boolean isConnectFailure(Throwable failure) {
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
