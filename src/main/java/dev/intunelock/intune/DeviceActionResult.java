package dev.intunelock.intune;

import java.time.Instant;

/** One entry of a device's {@code deviceActionResults}: an action Intune was asked to run, and how it went. */
public record DeviceActionResult(String actionName, String actionState, Instant startedAt, Instant lastUpdatedAt) {

    public boolean isRemoteLock() {
        return "remoteLock".equalsIgnoreCase(actionName);
    }
}
