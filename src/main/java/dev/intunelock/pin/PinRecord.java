package dev.intunelock.pin;

import java.time.Instant;

/**
 * What we hold for one Mac lock: its PIN once captured, the 30-day window, and who confirmed the unlock.
 * {@code state} is never {@link PinStatus#EXPIRED}: expiry is decided at read time by {@link #statusAt}.
 */
public record PinRecord(
        String deviceId,
        String lockId,
        Instant lockedAt,
        PinStatus state,
        RecoveryPin pin,
        String note,
        Instant unlockedAt,
        String unlockedBy,
        String supersededBy) {

    public static PinRecord awaiting(String deviceId, String lockId, Instant sentAt) {
        return new PinRecord(deviceId, lockId, sentAt, PinStatus.AWAITING, null, null, null, null, null);
    }

    public Instant expiresAt() {
        return PinWindow.expiresAt(lockedAt);
    }

    public PinStatus statusAt(Instant now) {
        return PinWindow.isOpen(expiresAt(), now) ? state : PinStatus.EXPIRED;
    }

    public PinRecord stored(RecoveryPin captured) {
        return new PinRecord(deviceId, lockId, lockedAt, PinStatus.STORED, captured, null, null, null, supersededBy);
    }

    public PinRecord unavailable(String why) {
        return new PinRecord(deviceId, lockId, lockedAt, PinStatus.UNAVAILABLE, null, why, null, null, supersededBy);
    }

    public PinRecord used(Instant at, String by) {
        return new PinRecord(deviceId, lockId, lockedAt, PinStatus.USED, pin, note, at, by, supersededBy);
    }

    public PinRecord supersededBy(String newLockId) {
        return new PinRecord(deviceId, lockId, lockedAt, state, pin, note, unlockedAt, unlockedBy, newLockId);
    }
}
