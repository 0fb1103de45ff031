package dev.intunelock.lock;

import java.time.Instant;

/**
 * Why Intune has not (yet) taken a lock: Graph's error {@code code}, its message, the {@code request-id} that
 * Microsoft support asks for, the HTTP status (0 when no answer came back), and whether Intune may nevertheless
 * have acted on the command (the verdict of the {@code intune} package, stored as it was given).
 */
public record LockError(String code, String message, String requestId, int httpStatus, Instant at,
        boolean intuneMayHaveActed) {
}
