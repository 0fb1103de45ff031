package dev.intunelock.lock;

import java.time.Instant;

/**
 * One request to lock one device, as recorded before Intune is called and updated as Intune answers. Who asked is
 * kept by display name and by Entra object id ({@code requestedById}; null for webhook senders).
 * {@code supersedes} names the lock whose Mac recovery PIN a forced re-lock made useless.
 * <p>
 * {@code unconfirmedSince} is written before every remoteLock call and cleared only once its outcome is known: while
 * it is set, the command may have reached Intune, and no attempt sends it again before Intune's action results have
 * been read. {@code previousResultAt} is the start of the newest remoteLock result the device listed before the
 * command went out: only a newer result belongs to this lock.
 */
public record Lock(
        String lockId,
        String deviceId,
        String deviceName,
        Platform platform,
        LockStatus status,
        String source,
        String requestedBy,
        String requestedById,
        String reason,
        Instant requestedAt,
        Instant sentAt,
        int attempts,
        LockError lastError,
        Instant nextAttemptAt,
        String supersedes,
        Instant unconfirmedSince,
        Instant previousResultAt) {

    /** The source of a lock that is one device of a batch: this, then the batch id. */
    public static final String BATCH_SOURCE = "batch:";

    /**
     * A new request, recorded before anything is asked of Intune: name and platform are not known yet. Its first
     * attempt is under way, so it is not due for another before {@code attemptUntil}.
     */
    public static Lock requested(String lockId, String deviceId, String source, String requestedBy,
            String requestedById, String reason, Instant now, Instant attemptUntil, String supersedes) {
        return new Lock(lockId, deviceId, null, null, LockStatus.PENDING, source, requestedBy, requestedById, reason,
                now, null, 0, null, attemptUntil, supersedes, null, null);
    }

    /** A pending lock whose last attempt has ended and whose wait (Retry-After or back-off) is over. */
    public boolean dueForRetry(Instant now) {
        return status == LockStatus.PENDING && nextAttemptAt != null && !nextAttemptAt.isAfter(now);
    }

    /** One device of a lock batch (its commands are bulk writes). */
    public boolean partOfBatch() {
        return source != null && source.startsWith(BATCH_SOURCE);
    }

    /** Whether a remoteLock of this lock may have reached Intune without our knowing. */
    public boolean unconfirmed() {
        return unconfirmedSince != null;
    }

    /**
     * When the command that a Mac's recovery PIN belongs to went out: the send time, or, for a lock whose command
     * may have gone out unconfirmed, the start of that attempt. Null while no command can have reached the Mac.
     */
    public Instant commandAt() {
        return sentAt != null ? sentAt : status == LockStatus.UNCONFIRMED ? unconfirmedSince : null;
    }

    /** A Mac lock whose command reached (or may have reached) Intune: it has (or will have) a recovery PIN. */
    public boolean hasRecoveryPin() {
        return platform != null && platform.hasRecoveryPin() && commandAt() != null;
    }

    /** The same pending lock, taken for an attempt that may last until {@code until}. */
    public Lock attemptingUntil(Instant until) {
        return with(status, sentAt, attempts, lastError, until, unconfirmedSince, previousResultAt);
    }

    public Lock describing(String name, Platform devicePlatform) {
        return new Lock(lockId, deviceId, name, devicePlatform, status, source, requestedBy, requestedById, reason,
                requestedAt, sentAt, attempts, lastError, nextAttemptAt, supersedes, unconfirmedSince, previousResultAt);
    }

    /**
     * About to call remoteLock at {@code now}: from here until an outcome is recorded the command may have reached
     * Intune. The device's newest remoteLock result so far is {@code newestResultAt}.
     */
    public Lock sending(Instant now, Instant newestResultAt) {
        return with(status, sentAt, attempts, lastError, nextAttemptAt, now, newestResultAt);
    }

    /** Graph accepted the command of the attempt that began at {@code unconfirmedSince}. */
    public Lock sent() {
        return with(LockStatus.SENT, unconfirmedSince, attempts + 1, null, null, null, previousResultAt);
    }

    /** Intune lists the result of the command sent at {@code unconfirmedSince}: it got there after all. */
    public Lock sentAfterAll() {
        return with(LockStatus.SENT, unconfirmedSince, attempts, null, null, null, previousResultAt);
    }

    /** Intune lists no result of the unconfirmed command: it never arrived, and may be sent (not to a Mac). */
    public Lock notArrived() {
        return with(status, sentAt, attempts, lastError, nextAttemptAt, null, previousResultAt);
    }

    /**
     * The remoteLock call failed; it stays pending, due again at {@code retryAt}, and stays unconfirmed if Graph may
     * have acted on it.
     */
    public Lock sendFailed(LockError error, Instant retryAt) {
        return with(LockStatus.PENDING, null, attempts + 1, error, retryAt,
                error.intuneMayHaveActed() ? unconfirmedSince : null, previousResultAt);
    }

    /** Nothing was sent this time (Intune could not be asked, or the time was up); due again at {@code retryAt}. */
    public Lock notSent(LockError error, Instant retryAt) {
        return with(LockStatus.PENDING, null, attempts, error, retryAt, unconfirmedSince, previousResultAt);
    }

    /** Refused for good, by our own rules or by Graph; {@code attempted} when Graph was asked to lock. */
    public Lock rejected(LockError error, boolean attempted) {
        return with(LockStatus.REJECTED, null, attempted ? attempts + 1 : attempts, error, null, null,
                previousResultAt);
    }

    /** Whether the command reached Intune stayed unknown past the bound: it ends here, never sent again. */
    public Lock unconfirmedForGood(LockError error) {
        return with(LockStatus.UNCONFIRMED, null, attempts, error, null, unconfirmedSince, previousResultAt);
    }

    public Lock withStatus(LockStatus newStatus, LockError error) {
        return with(newStatus, sentAt, attempts, error, null, unconfirmedSince, previousResultAt);
    }

    private Lock with(LockStatus newStatus, Instant newSentAt, int newAttempts, LockError error, Instant nextAttempt,
            Instant newUnconfirmedSince, Instant newPreviousResultAt) {
        return new Lock(lockId, deviceId, deviceName, platform, newStatus, source, requestedBy, requestedById, reason,
                requestedAt, newSentAt, newAttempts, error, nextAttempt, supersedes, newUnconfirmedSince,
                newPreviousResultAt);
    }
}
