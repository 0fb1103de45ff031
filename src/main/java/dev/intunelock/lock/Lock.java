package dev.intunelock.lock;

import java.time.Instant;

/**
 * One request to lock one device, as recorded before Intune is called and updated as Intune answers.
 * {@code supersedes} names the lock whose Mac recovery PIN a forced re-lock made useless.
 */
public record Lock(
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
        LockError lastError,
        Instant nextAttemptAt,
        String supersedes) {

    /**
     * A new request, recorded before anything is asked of Intune: name and platform are not known yet. Its first
     * attempt is under way, so it is not due for another before {@code attemptUntil}.
     */
    public static Lock requested(String lockId, String deviceId, String source, String requestedBy, String reason,
            Instant now, Instant attemptUntil, String supersedes) {
        return new Lock(lockId, deviceId, null, null, LockStatus.PENDING, source, requestedBy, reason, now, null, 0,
                null, attemptUntil, supersedes);
    }

    /** A pending lock whose last attempt has ended and whose wait (Retry-After or back-off) is over. */
    public boolean dueForRetry(Instant now) {
        return status == LockStatus.PENDING && nextAttemptAt != null && !nextAttemptAt.isAfter(now);
    }

    /** The same pending lock, taken for an attempt that may last until {@code until}. */
    public Lock attemptingUntil(Instant until) {
        return new Lock(lockId, deviceId, deviceName, platform, status, source, requestedBy, reason, requestedAt,
                sentAt, attempts, lastError, until, supersedes);
    }

    public Lock describing(String name, Platform devicePlatform) {
        return new Lock(lockId, deviceId, name, devicePlatform, status, source, requestedBy, reason, requestedAt,
                sentAt, attempts, lastError, nextAttemptAt, supersedes);
    }

    public Lock sent(Instant now) {
        return new Lock(lockId, deviceId, deviceName, platform, LockStatus.SENT, source, requestedBy, reason,
                requestedAt, now, attempts + 1, null, null, supersedes);
    }

    /** Intune did not take the command this time; it stays pending and is due again at {@code retryAt}. */
    public Lock notTaken(LockError error, Instant retryAt) {
        return new Lock(lockId, deviceId, deviceName, platform, LockStatus.PENDING, source, requestedBy, reason,
                requestedAt, null, attempts + 1, error, retryAt, supersedes);
    }

    /** Refused for good, by our own rules or by Graph; {@code attempted} when Graph was asked to lock. */
    public Lock rejected(LockError error, boolean attempted) {
        return new Lock(lockId, deviceId, deviceName, platform, LockStatus.REJECTED, source, requestedBy, reason,
                requestedAt, null, attempted ? attempts + 1 : attempts, error, null, supersedes);
    }

    public Lock withStatus(LockStatus newStatus, LockError error) {
        return new Lock(lockId, deviceId, deviceName, platform, newStatus, source, requestedBy, reason, requestedAt,
                sentAt, attempts, error, null, supersedes);
    }

    /** A Mac lock that reached Intune: it has (or will have) a recovery PIN. */
    public boolean hasRecoveryPin() {
        return platform != null && platform.hasRecoveryPin() && sentAt != null;
    }
}
