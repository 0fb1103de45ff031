package dev.intunelock.pin;

import java.time.Instant;

/**
 * The re-lock guard: a Mac must not be locked again until its recovery PIN has been used, since a second lock
 * makes the first PIN useless. A PIN blocks while it is awaited or stored (or unavailable to us although the Mac
 * was locked with it), not confirmed used, and inside its 30-day window. Shared by every channel that locks.
 */
public final class ReLockGuard {

    private ReLockGuard() {
    }

    public static boolean blocks(PinRecord pin, Instant now) {
        PinStatus status = pin.statusAt(now);
        boolean outstanding = status == PinStatus.AWAITING || status == PinStatus.STORED
                || status == PinStatus.UNAVAILABLE && pin.guardStays();
        return outstanding && pin.unlockedAt() == null;
    }
}
