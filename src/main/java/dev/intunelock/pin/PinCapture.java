package dev.intunelock.pin;

import java.util.List;
import java.util.Optional;

import org.jboss.logging.Logger;

import dev.intunelock.intune.DeviceActionResult;
import dev.intunelock.intune.RemoteLockResults;

/**
 * Takes a Mac's recovery PIN from the {@code remoteLockActionResult} that belongs to its lock. Only an awaited
 * PIN is ever captured: once stored, it stays ours even after Intune hides it.
 */
final class PinCapture {

    private static final Logger LOG = Logger.getLogger(PinCapture.class);

    static final String ADMIN_CENTER = "Read it in the Intune admin center (Devices > the Mac > Overview) while it "
            + "is shown there: it disappears as soon as another device action is sent.";

    private PinCapture() {
    }

    static PinRecord from(PinRecord pin, List<DeviceActionResult> actionResults) {
        if (pin.state() != PinStatus.AWAITING) {
            return pin;
        }
        Optional<DeviceActionResult> ours = RemoteLockResults.forLockSentAt(pin.lockedAt(), actionResults);
        if (ours.isEmpty()) {
            return pin;
        }
        DeviceActionResult result = ours.get();
        if (result.unlockPin() != null) {
            Optional<RecoveryPin> captured = RecoveryPin.parse(result.unlockPin());
            if (captured.isEmpty()) {
                LOG.warnf("Lock %s: Intune reported an unlockPin that is not 6 digits (%d characters); not stored",
                        pin.lockId(), result.unlockPin().length());
                return pin.unavailable("Intune reported a recovery PIN that is not 6 digits, so none was stored. "
                        + ADMIN_CENTER, true);
            }
            return pin.stored(captured.get());
        }
        if (RemoteLockResults.failed(result)) {
            return pin.unavailable("Intune reports the remote lock as " + result.actionState()
                    + ", so it holds no recovery PIN for this lock.", false);
        }
        if (RemoteLockResults.done(result)) {
            return pin.unavailable("Intune reports the remote lock done but gave no recovery PIN. " + ADMIN_CENTER,
                    true);
        }
        return pin;
    }
}
