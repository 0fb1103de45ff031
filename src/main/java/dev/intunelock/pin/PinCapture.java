package dev.intunelock.pin;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.jboss.logging.Logger;

import dev.intunelock.intune.DeviceActionResult;
import dev.intunelock.intune.RemoteLockResults;
import dev.intunelock.vault.Sealed;

/**
 * Takes a Mac's recovery PIN from the {@code remoteLockActionResult} that belongs to its lock. Only an awaited
 * PIN is ever captured: once stored, it stays ours even after Intune hides it.
 */
final class PinCapture {

    private static final Logger LOG = Logger.getLogger(PinCapture.class);

    static final String ADMIN_CENTER = "Read it in the Intune admin center (Devices > the Mac > Overview) while it "
            + "is shown there: it disappears as soon as another device action is sent.";

    /**
     * Intune reports a PIN within minutes of the lock; one it has not reported a day later is given up on, so the
     * sweep stops asking. The Mac may be locked with it all the same, so the re-lock guard stays.
     */
    static final Duration REPORT_BOUND = Duration.ofDays(1);

    private PinCapture() {
    }

    /** An awaited PIN Intune has not reported within {@link #REPORT_BOUND}: given up, guard kept. */
    static PinRecord givenUpIfOverdue(PinRecord pin, Instant now) {
        if (pin.state() != PinStatus.AWAITING || now.isBefore(pin.lockedAt().plus(REPORT_BOUND))) {
            return pin;
        }
        return pin.unavailable("Intune did not report the recovery PIN within a day of the lock. " + ADMIN_CENTER,
                true);
    }

    /** The PIN's next state; a captured PIN is stored as {@code seal} makes it (the digits are never stored). */
    static PinRecord from(PinRecord pin, List<DeviceActionResult> actionResults, Function<RecoveryPin, Sealed> seal) {
        if (pin.state() != PinStatus.AWAITING) {
            return pin;
        }
        Optional<DeviceActionResult> ours = RemoteLockResults.forLock(pin.previousResultAt(), pin.lockedAt(),
                actionResults);
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
            return pin.stored(seal.apply(captured.get()));
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
