package dev.intunelock.lock;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A lock as the API shows it. */
public record LockView(
        String lockId,
        String deviceId,
        String deviceName,
        Platform platform,
        LockStatus status,
        String source,
        String requestedBy,
        String reason,
        Instant requestedAt,
        Instant sentAt,
        int attempts,
        @JsonInclude(JsonInclude.Include.NON_NULL) ErrorView error) {

    /** Why Intune has not taken the lock, or refused it: Graph's {@code code} and {@code request-id}, never a trace. */
    public record ErrorView(String code, String message, String requestId, Integer httpStatus, Instant at) {
    }

    public static LockView of(Lock lock) {
        LockError e = lock.lastError();
        ErrorView error = e == null ? null
                : new ErrorView(e.code(), e.message(), e.requestId(), e.httpStatus() == 0 ? null : e.httpStatus(),
                        e.at());
        return new LockView(lock.lockId(), lock.deviceId(), lock.deviceName(), lock.platform(), lock.status(),
                lock.source(), lock.requestedBy(), lock.reason(), lock.requestedAt(), lock.sentAt(), lock.attempts(),
                error);
    }
}
