package dev.intunelock.problem;

import java.util.Optional;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses oversize bodies before anything reads them: API requests need at most 16 KiB; a lock batch, which may
 * name a thousand devices, 64 KiB; alert webhooks, which may carry a group of alerts, and the work queue's events,
 * 256 KiB.
 */
public class BodySizeLimit {

    static final long MAX_BODY_BYTES = 16 * 1024;
    public static final long MAX_WEBHOOK_BODY_BYTES = 256 * 1024;
    static final long MAX_BATCH_BODY_BYTES = 64 * 1024;
    /** The request property by which {@link BodyReadLimit} learns this request's limit. */
    static final String LIMIT_PROPERTY = "intune-lock.body-limit";

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> refuseOversizeBodies(ContainerRequestContext request) {
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        long limit = limitFor(request.getUriInfo().getPath());
        request.setProperty(LIMIT_PROPERTY, limit);
        if (length != null && isOver(length, limit)) {
            return Optional.of(tooLarge(limit));
        }
        return Optional.empty();
    }

    static long limitFor(String path) {
        if (path.startsWith("/v1/webhooks/") || path.startsWith("/internal/")) {
            return MAX_WEBHOOK_BODY_BYTES;
        }
        return path.startsWith("/v1/lock-batches") ? MAX_BATCH_BODY_BYTES : MAX_BODY_BYTES;
    }

    /** Also for bodies that came without a Content-Length (chunked), once read. */
    public static Response tooLarge(long limit) {
        return Problem.of(413, "body-too-large", "Request body too large")
                .detail("Request bodies are limited to " + limit + " bytes here.").toResponse();
    }

    private static boolean isOver(String length, long limit) {
        try {
            return Long.parseLong(length.trim()) > limit;
        } catch (NumberFormatException malformed) {
            return true;
        }
    }
}
