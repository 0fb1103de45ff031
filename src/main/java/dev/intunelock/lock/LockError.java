package dev.intunelock.lock;

import java.time.Instant;

/**
 * Why Intune has not (yet) taken a lock: Graph's error {@code code}, its message, the {@code request-id} that
 * Microsoft support asks for, and the HTTP status (0 when no answer came back).
 */
public record LockError(String code, String message, String requestId, int httpStatus, Instant at) {
}
