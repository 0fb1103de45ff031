package dev.intunelock.intune;

/**
 * What Graph said when it did not do what was asked: HTTP status (0 when no answer came back), Graph's error
 * {@code code} and message, its {@code request-id}, the seconds it asked us to wait ({@code Retry-After}), when it
 * did, and {@code mayHaveActed}: whether Graph may nevertheless have carried the request out (decided once, by
 * {@link GraphErrors}, for every caller).
 */
public record GraphFailure(int httpStatus, String code, String message, String requestId, Long retryAfterSeconds,
        boolean mayHaveActed) {
}
