package dev.intunelock.lock;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import dev.intunelock.intune.DeviceActionResult;

/**
 * Intune's report on one of our locks: the device's {@code remoteLock} action result that belongs to this lock
 * (started no earlier than our send, less a little clock skew). Older lock results may still be listed; they are
 * never taken for ours.
 */
public final class IntuneLockReport {

    static final Duration CLOCK_SKEW = Duration.ofMinutes(2);

    private IntuneLockReport() {
    }

    public static Optional<DeviceActionResult> forLockSentAt(Instant sentAt, List<DeviceActionResult> results) {
        Instant earliest = sentAt.minus(CLOCK_SKEW);
        return results.stream()
                .filter(DeviceActionResult::isRemoteLock)
                .filter(result -> result.startedAt() != null && !result.startedAt().isBefore(earliest))
                .max(Comparator.comparing(DeviceActionResult::startedAt));
    }

    /** The lock status Intune's {@code actionState} means, if it has settled. */
    public static Optional<LockStatus> settledStatus(DeviceActionResult result) {
        String state = result.actionState() == null ? "" : result.actionState();
        return switch (state) {
            case "done" -> Optional.of(LockStatus.DONE);
            case "failed", "notSupported", "canceled" -> Optional.of(LockStatus.FAILED);
            default -> Optional.empty(); // none, pending, active: still on its way
        };
    }
}
