package dev.intunelock.problem;

import java.util.Optional;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** Refuses oversize bodies before anything reads them: no request of this API needs more than 16 KiB. */
public class BodySizeLimit {

    static final long MAX_BODY_BYTES = 16 * 1024;

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> refuseOversizeBodies(ContainerRequestContext request) {
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length != null && isOver(length)) {
            return Optional.of(Problem.of(413, "body-too-large", "Request body too large")
                    .detail("Request bodies are limited to " + MAX_BODY_BYTES + " bytes.").toResponse());
        }
        return Optional.empty();
    }

    private static boolean isOver(String length) {
        try {
            return Long.parseLong(length.trim()) > MAX_BODY_BYTES;
        } catch (NumberFormatException malformed) {
            return true;
        }
    }
}
