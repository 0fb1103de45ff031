package dev.intunelock.intune;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which of a device's {@code remoteLock} action results belongs to one of our locks: the newest one started no
 * earlier than our send, less a little clock skew. Older lock results (with other PINs) may still be listed;
 * they are never taken for ours.
 */
public final class RemoteLockResults {

    /**
     * Intune stamps the action when it accepts the command, a moment after our send time; a small allowance covers
     * clock differences. Kept short so that an earlier lock's result (there is at most one lock in flight per
     * device) is not mistaken for this one's.
     */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

    private RemoteLockResults() {
    }

    public static Optional<DeviceActionResult> forLockSentAt(Instant sentAt, List<DeviceActionResult> results) {
        Instant earliest = sentAt.minus(CLOCK_SKEW);
        return results.stream()
                .filter(DeviceActionResult::isRemoteLock)
                .filter(result -> result.startedAt() != null && !result.startedAt().isBefore(earliest))
                .max(Comparator.comparing(DeviceActionResult::startedAt));
    }

    /** Intune finished the action without success: it failed, is not supported, or was canceled. */
    public static boolean failed(DeviceActionResult result) {
        String state = result.actionState();
        return "failed".equals(state) || "notSupported".equals(state) || "canceled".equals(state);
    }

    public static boolean done(DeviceActionResult result) {
        return "done".equals(result.actionState());
    }
}
