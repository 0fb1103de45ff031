package dev.intunelock.lock;

import java.time.Instant;
import java.util.Optional;

import dev.intunelock.intune.DeviceActionResult;
import dev.intunelock.intune.RemoteLockResults;

/** The lock status Intune's {@code actionState} for our remoteLock means, once it has settled. */
final class IntuneOutcome {

    private IntuneOutcome() {
    }

    static Optional<LockStatus> settledStatus(DeviceActionResult result) {
        if (RemoteLockResults.done(result)) {
            return Optional.of(LockStatus.DONE);
        }
        if (RemoteLockResults.failed(result)) {
            return Optional.of(LockStatus.FAILED);
        }
        return Optional.empty(); // none, pending, active: still on its way
    }

    /** Why a settled lock failed, in Intune's words, as seen {@code at}; null when it did not. */
    static LockError failure(LockStatus status, DeviceActionResult result, Instant at) {
        if (status != LockStatus.FAILED) {
            return null;
        }
        String state = result.actionState();
        return new LockError("action" + Character.toUpperCase(state.charAt(0)) + state.substring(1),
                "Intune reports the remoteLock action as " + state + ".", null, 0, at, false);
    }
}
