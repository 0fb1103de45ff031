package dev.intunelock.pin;

import java.time.Instant;

import dev.intunelock.vault.Sealed;

/**
 * What we hold for one Mac lock: its PIN once captured (only ever sealed, see {@link PinSealing}; removed when the
 * window ends), the 30-day window, and who confirmed the unlock.
 * {@code state} is never {@link PinStatus#EXPIRED}: expiry is decided at read time by {@link #statusAt}.
 * {@code previousResultAt} is the start of the newest remoteLock result the Mac listed before this lock was sent:
 * the PIN is taken only from a newer one (null for records made before it was remembered).
 */
public record PinRecord(
        String deviceId,
        String lockId,
        Instant lockedAt,
        PinStatus state,
        Sealed sealedPin,
        String note,
        boolean guardStays,
        Instant unlockedAt,
        String unlockedBy,
        String supersededBy,
        Instant previousResultAt) {

    public static PinRecord awaiting(String deviceId, String lockId, Instant sentAt, Instant previousResultAt) {
        return new PinRecord(deviceId, lockId, sentAt, PinStatus.AWAITING, null, null, false, null, null, null,
                previousResultAt);
    }

    public Instant expiresAt() {
        return PinWindow.expiresAt(lockedAt);
    }

    public PinStatus statusAt(Instant now) {
        return PinWindow.isOpen(expiresAt(), now) ? state : PinStatus.EXPIRED;
    }

    public PinRecord stored(Sealed captured) {
        return new PinRecord(deviceId, lockId, lockedAt, PinStatus.STORED, captured, null, false, null, null,
                supersededBy, previousResultAt);
    }

    /**
     * We will not hold this lock's PIN. {@code macStillLocked} when the lock did (or may have) reached the Mac
     * anyway, with a PIN only the Intune admin center shows: the re-lock guard then stays until an unlock is
     * confirmed.
     */
    public PinRecord unavailable(String why, boolean macStillLocked) {
        return new PinRecord(deviceId, lockId, lockedAt, PinStatus.UNAVAILABLE, null, why, macStillLocked, null, null,
                supersededBy, previousResultAt);
    }

    public PinRecord used(Instant at, String by) {
        return new PinRecord(deviceId, lockId, lockedAt, PinStatus.USED, sealedPin, note, guardStays, at, by,
                supersededBy, previousResultAt);
    }

    public PinRecord supersededBy(String newLockId) {
        return new PinRecord(deviceId, lockId, lockedAt, state, sealedPin, note, guardStays, unlockedAt,
                unlockedBy, newLockId, previousResultAt);
    }
}
