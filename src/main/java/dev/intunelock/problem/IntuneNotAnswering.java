package dev.intunelock.problem;

import dev.intunelock.intune.GraphException;

/**
 * Intune could not be asked what a request needed to know first (a user's devices, say), so nothing was changed:
 * {@code 503 intune-unavailable} with Graph's {@code Retry-After} (else 30 s) and {@code detail} saying what could not
 * be done.
 */
public final class IntuneNotAnswering extends RuntimeException {

    private final String detail;
    private final Long retryAfterSeconds;

    public IntuneNotAnswering(String detail, GraphException cause) {
        super("Intune could not be asked: " + cause.failure().code(), cause);
        this.detail = detail;
        this.retryAfterSeconds = cause.failure().retryAfterSeconds();
    }

    String detail() {
        return detail;
    }

    long retryAfterSeconds() {
        return retryAfterSeconds == null ? 30 : Math.max(1, retryAfterSeconds);
    }
}
