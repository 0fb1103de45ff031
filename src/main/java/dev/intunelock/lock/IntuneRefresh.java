package dev.intunelock.lock;

import java.time.Clock;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.intunelock.intune.DeviceActionResult;
import dev.intunelock.intune.GraphException;
import dev.intunelock.intune.Intune;
import dev.intunelock.intune.IntuneDevice;
import dev.intunelock.intune.RemoteLockResults;
import dev.intunelock.pin.PinRecord;
import dev.intunelock.pin.PinService;
import dev.intunelock.pin.PinStatus;

/**
 * Brings a lock up to date with Intune's report of its remoteLock action: the status of a sent lock (or of one whose
 * arrival was never confirmed), and the recovery PIN of a Mac lock still awaiting it. One Graph read serves all.
 */
@ApplicationScoped
class IntuneRefresh {

    private static final Logger LOG = Logger.getLogger(IntuneRefresh.class);

    private final Intune intune;
    private final PinService pins;
    private final LockUpdates updates;
    private final Clock clock;

    IntuneRefresh(Intune intune, PinService pins, LockUpdates updates, Clock clock) {
        this.intune = intune;
        this.pins = pins;
        this.updates = updates;
        this.clock = clock;
    }

    Lock refreshed(Lock lock) {
        boolean statusOpen = lock.status() == LockStatus.SENT || lock.status() == LockStatus.UNCONFIRMED;
        Optional<PinRecord> awaitedPin = lock.hasRecoveryPin()
                ? Optional.of(updates.pinOf(lock)).filter(pin -> pins.summary(pin).status() == PinStatus.AWAITING)
                : Optional.empty();
        if (!statusOpen && awaitedPin.isEmpty()) {
            return lock;
        }
        IntuneDevice device;
        try {
            device = intune.findDevice(lock.deviceId()).orElse(null);
        } catch (GraphException unavailable) {
            LOG.debugf("Could not refresh lock %s: %s", lock.lockId(), unavailable.failure().code());
            return lock;
        }
        if (device == null) {
            return lock;
        }
        awaitedPin.ifPresent(pin -> pins.captureFrom(pin, device.actionResults()));
        if (!statusOpen) {
            return lock;
        }
        Optional<DeviceActionResult> ours = RemoteLockResults.forLock(lock.previousResultAt(), lock.commandAt(),
                device.actionResults());
        if (ours.isEmpty()) {
            return lock;
        }
        Lock current = lock;
        if (current.status() == LockStatus.UNCONFIRMED) {
            LOG.infof("Lock %s: Intune now lists its command; it had arrived after all", lock.lockId());
            current = updates.saved(current.sentAfterAll(), LockStatus.UNCONFIRMED);
        }
        Lock sent = current;
        DeviceActionResult result = ours.get();
        return IntuneOutcome.settledStatus(result)
                .map(status -> updates.finish(
                        sent.withStatus(status, IntuneOutcome.failure(status, result, clock.instant())), LockStatus.SENT))
                .orElse(sent);
    }
}
