package dev.intunelock.lock;

import java.time.Instant;

/**
 * Why Intune has not (yet) taken a lock: Graph's error {@code code}, its message, the {@code request-id} that
 * Microsoft support asks for, and the HTTP status (0 when no answer came back).
 */
public record LockError(String code, String message, String requestId, int httpStatus, Instant at) {

    /**
     * Whether the failed attempt may nevertheless have reached Intune: a timeout, or a server error other than 503
     * (a gateway that gave up, an internal error). Refused connections, an open breaker, 429 and 503 did not.
     */
    public boolean mayHaveReachedIntune() {
        if (httpStatus == 0) {
            return !"connectionFailed".equals(code) && !"circuitOpen".equals(code);
        }
        return httpStatus >= 500 && httpStatus != 503;
    }
}
