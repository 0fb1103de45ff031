package dev.intunelock.lock;

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
}
