package dev.intunelock.intune;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which of a device's {@code remoteLock} action results belongs to one of our locks. Before a lock is sent, the
 * start of the newest remoteLock result the device already lists is remembered ({@link #newestStart}); afterwards
 * only a result started later than that one, and not before the send (less a little clock skew), is taken for the
 * lock (the newest such). Older lock results, with other PINs, may still be listed; they are never taken for ours,
 * however close in time they started.
 */
public final class RemoteLockResults {

    /** Remembered as the newest start when the device listed no remoteLock result at all. */
    public static final Instant NONE_BEFORE = Instant.EPOCH;

    /**
     * Intune stamps the action when it accepts the command, a moment after our send time; a small allowance covers
     * clock differences. Results started earlier than this before the send are never ours.
     */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

    private RemoteLockResults() {
    }

    /** The start of the newest remoteLock result listed, or {@link #NONE_BEFORE}. */
    public static Instant newestStart(List<DeviceActionResult> results) {
        return newest(results.stream().filter(DeviceActionResult::isRemoteLock).toList())
                .map(DeviceActionResult::startedAt).orElse(NONE_BEFORE);
    }

    /**
     * The result of the lock sent at {@code sentAt} when the device's newest result was {@code newestBefore} (null
     * for a lock recorded before that was remembered: then the send time alone decides).
     */
    public static Optional<DeviceActionResult> forLock(Instant newestBefore, Instant sentAt,
            List<DeviceActionResult> results) {
        Instant earliest = sentAt.minus(CLOCK_SKEW);
        return newest(results.stream()
                .filter(DeviceActionResult::isRemoteLock)
                .filter(result -> result.startedAt() != null && !result.startedAt().isBefore(earliest))
                .filter(result -> newestBefore == null || result.startedAt().isAfter(newestBefore))
                .toList());
    }

    private static Optional<DeviceActionResult> newest(List<DeviceActionResult> results) {
        return results.stream().filter(result -> result.startedAt() != null)
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
