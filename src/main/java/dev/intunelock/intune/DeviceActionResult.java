package dev.intunelock.intune;

import java.time.Instant;

/**
 * One entry of a device's {@code deviceActionResults}: an action Intune was asked to run, and how it went.
 * For a Mac's remote lock, {@code unlockPin} is the recovery PIN Intune set; it never appears in {@link #toString()}.
 */
public record DeviceActionResult(String actionName, String actionState, Instant startedAt, Instant lastUpdatedAt,
        String unlockPin) {

    public boolean isRemoteLock() {
        return "remoteLock".equalsIgnoreCase(actionName);
    }

    @Override
    public String toString() {
        return "DeviceActionResult[" + actionName + ", " + actionState + ", started " + startedAt
                + (unlockPin == null ? "" : ", unlockPin present") + "]";
    }
}
