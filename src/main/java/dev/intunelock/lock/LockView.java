package dev.intunelock.lock;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.intunelock.pin.PinSummary;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** A lock as the API shows it. Its {@code pin} says where a Mac's recovery PIN stands, never what it is. */
@RegisterForReflection
public record LockView(
        String lockId,
        String deviceId,
        String deviceName,
        Platform platform,
        LockStatus status,
        String source,
        String requestedBy,
        @JsonInclude(JsonInclude.Include.NON_NULL) String requestedById,
        String reason,
        Instant requestedAt,
        Instant sentAt,
        int attempts,
        PinSummary pin,
        @JsonInclude(JsonInclude.Include.NON_NULL) Superseded supersedes,
        @JsonInclude(JsonInclude.Include.NON_NULL) ErrorView error) {

    /**
     * Why Intune has not taken the lock, or refused it: Graph's {@code code} and {@code request-id}, never a trace;
     * {@code mayHaveReachedIntune} when the failed command may have arrived all the same.
     */
    @RegisterForReflection
    public record ErrorView(String code, String message, String requestId, Integer httpStatus, Instant at,
            boolean mayHaveReachedIntune) {
    }

    /** A forced re-lock says what it cost. */
    @RegisterForReflection
    public record Superseded(String lockId, String warning) {
    }

    public static LockView of(Lock lock, PinSummary pin) {
        LockError e = lock.lastError();
        ErrorView error = e == null ? null
                : new ErrorView(e.code(), e.message(), e.requestId(), e.httpStatus() == 0 ? null : e.httpStatus(),
                        e.at(), e.intuneMayHaveActed());
        Superseded superseded = lock.supersedes() == null ? null : new Superseded(lock.supersedes(),
                "This forced lock makes the recovery PIN of lock " + lock.supersedes() + " useless once it reaches "
                        + "the Mac; only the new lock's PIN will unlock it.");
        return new LockView(lock.lockId(), lock.deviceId(), lock.deviceName(), lock.platform(), lock.status(),
                lock.source(), lock.requestedBy(), lock.requestedById(), lock.reason(), lock.requestedAt(), lock.sentAt(), lock.attempts(),
                pin, superseded, error);
    }
}
