package dev.intunelock.intune;

/**
 * What Graph said when it did not do what was asked: HTTP status (0 when no answer came back), Graph's error
 * {@code code} and message, its {@code request-id}, and the seconds it asked us to wait ({@code Retry-After}),
 * when it did.
 */
public record GraphFailure(int httpStatus, String code, String message, String requestId, Long retryAfterSeconds) {
}
