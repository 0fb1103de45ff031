package dev.intunelock.pin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.intunelock.audit.AuditEvent;
import dev.intunelock.audit.AuditTrail;
import dev.intunelock.auth.Caller;
import dev.intunelock.intune.DeviceActionResult;
import dev.intunelock.intune.GraphException;
import dev.intunelock.intune.Intune;
import dev.intunelock.metrics.Metrics;
import dev.intunelock.vault.VaultExceptions.VaultUnavailable;

/**
 * The life of a Mac's recovery PIN as the lock path and the sweep see it: captured after the lock is sent and stored
 * sealed, awaited until Intune reports it, guarding the Mac against a second lock, superseded by a forced re-lock.
 * What people ask of a PIN is {@link PinRequests}; the end of its window is {@link PinShredding}.
 */
@ApplicationScoped
public class PinService {

    private static final Logger LOG = Logger.getLogger(PinService.class);

    private final PinStore pins;
    private final PinSealing sealing;
    private final Intune intune;
    private final AuditTrail audit;
    private final Clock clock;
    private final int capturePolls;
    private final Duration firstPollDelay;

    PinService(PinStore pins, PinSealing sealing, Intune intune, AuditTrail audit, Clock clock,
            @ConfigProperty(name = "pin.capture.polls", defaultValue = "3") int capturePolls,
            @ConfigProperty(name = "pin.capture.first-delay", defaultValue = "500ms") Duration firstPollDelay) {
        this.pins = pins;
        this.sealing = sealing;
        this.intune = intune;
        this.audit = audit;
        this.clock = clock;
        this.capturePolls = capturePolls;
        this.firstPollDelay = firstPollDelay;
    }

    /**
     * Right after Graph accepted a Mac's lock: records the awaited PIN and waits a short, bounded time (backing
     * off) for Intune to report it, never past {@code pollUntil}. What is not reported by then is tried again on
     * later occasions.
     */
    public PinRecord awaitPinAfterSend(String deviceId, String lockId, Instant sentAt, Instant previousResultAt,
            Instant pollUntil) {
        PinRecord pin = forLock(deviceId, lockId, sentAt, previousResultAt);
        Duration delay = firstPollDelay;
        for (int poll = 0; poll < capturePolls && pin.statusAt(clock.instant()) == PinStatus.AWAITING
                && clock.instant().plus(delay).isBefore(pollUntil); poll++) {
            pause(delay);
            delay = delay.multipliedBy(2);
            try {
                pin = captureFromIntune(pin);
            } catch (VaultUnavailable vault) {
                LOG.warnf("Lock %s: recovery PIN not sealed (%s); it stays awaited and is captured later",
                        lockId, vault.getMessage());
                return pin;
            }
        }
        return pin;
    }

    /**
     * The PIN record of a sent Mac lock; created (awaiting) if a crash left it unwritten. {@code previousResultAt}:
     * the start of the newest remoteLock result the Mac listed before the lock was sent.
     */
    public PinRecord forLock(String deviceId, String lockId, Instant sentAt, Instant previousResultAt) {
        return pins.find(deviceId, lockId, sentAt).orElseGet(() -> {
            PinRecord awaiting = PinRecord.awaiting(deviceId, lockId, sentAt, previousResultAt);
            return pins.create(awaiting) ? awaiting : pins.find(deviceId, lockId, sentAt).orElse(awaiting);
        });
    }

    /**
     * Another occasion to capture an awaited PIN, from device action results already at hand. If the vault cannot
     * seal it now, the PIN stays awaited (Intune keeps showing it) and is captured on a later occasion.
     */
    public PinRecord captureFrom(PinRecord pin, List<DeviceActionResult> actionResults) {
        try {
            return capture(pin, actionResults);
        } catch (VaultUnavailable vault) {
            LOG.warnf("Lock %s: recovery PIN not sealed (%s); it stays awaited and is captured later", pin.lockId(),
                    vault.getMessage());
            return pin;
        }
    }

    private PinRecord capture(PinRecord pin, List<DeviceActionResult> actionResults) {
        if (pin.statusAt(clock.instant()) != PinStatus.AWAITING) {
            return pin;
        }
        PinRecord next = PinCapture.from(pin, actionResults, digits -> sealing.seal(pin, digits));
        if (next.state() == PinStatus.AWAITING) {
            return pin;
        }
        if (pins.update(next, PinStatus.AWAITING)) {
            if (next.state() == PinStatus.UNAVAILABLE) {
                Metrics.count(Metrics.PIN_CAPTURE_FAILURES);
            }
            LOG.infof("Lock %s: recovery PIN %s", pin.lockId(),
                    next.state() == PinStatus.STORED ? "captured and sealed" : "unavailable");
            return next;
        }
        return pins.find(pin.deviceId(), pin.lockId(), pin.lockedAt()).orElse(next);
    }

    /** PINs still awaited from Intune, oldest lock first (the retry sweep's work list). */
    public List<PinRecord> awaited(int limit) {
        return pins.awaiting(limit);
    }

    /**
     * The retry sweep's step for a PIN nobody is reading: asks Intune once more (while Intune still shows it: the
     * next device action hides it), and gives up on one Intune has not reported within a day. Returns where it
     * stands now.
     */
    public PinStatus captureOrGiveUp(PinRecord pin) {
        PinRecord next = captureFromIntune(pin);
        if (next.state() == PinStatus.AWAITING) {
            PinRecord overdue = PinCapture.givenUpIfOverdue(next, clock.instant());
            if (overdue != next && pins.update(overdue, PinStatus.AWAITING)) {
                LOG.warnf("Lock %s: Intune never reported the recovery PIN; given up", pin.lockId());
                Metrics.count(Metrics.PIN_CAPTURE_FAILURES);
                return overdue.state();
            }
        }
        return next.state();
    }

    /** The PIN of the device's most recent Mac lock. */
    public Optional<PinRecord> latest(String deviceId) {
        return pins.latest(deviceId);
    }

    public PinSummary summary(PinRecord pin) {
        return new PinSummary(pin.statusAt(clock.instant()), pin.expiresAt());
    }

    /** The re-lock guard's verdict on the device's lock: blocks while its PIN is outstanding. */
    public boolean guardBlocks(PinRecord pin) {
        return ReLockGuard.blocks(pin, clock.instant());
    }

    /** A forced re-lock: the previous PIN becomes useless, and the trail says who decided so. */
    public void supersede(PinRecord previous, String newLockId, Caller caller) {
        PinRecord current = previous;
        for (int attempt = 0; attempt < 3 && !pins.update(current.supersededBy(newLockId), current.state());
                attempt++) {
            current = pins.find(previous.deviceId(), previous.lockId(), previous.lockedAt()).orElse(current);
        }
        record(previous.deviceId(), previous.lockId(), caller, AuditEvent.FORCED_RELOCK, AuditEvent.GRANTED,
                "lock " + newLockId + " forced; the recovery PIN of lock " + previous.lockId()
                        + " becomes useless once it reaches the Mac");
    }

    /** Asks Intune for an awaited PIN now; {@link VaultUnavailable} if it was reported but could not be sealed. */
    PinRecord captureFromIntune(PinRecord pin) {
        if (pin.statusAt(clock.instant()) != PinStatus.AWAITING) {
            return pin;
        }
        try {
            return intune.findDevice(pin.deviceId()).map(device -> capture(pin, device.actionResults()))
                    .orElse(pin);
        } catch (GraphException unavailable) {
            LOG.debugf("Lock %s: PIN not polled, Graph %s", pin.lockId(), unavailable.failure().code());
            return pin;
        }
    }

    private void record(String deviceId, String lockId, Caller caller, String action, String outcome,
            String detail) {
        audit.record(AuditEvent.of(deviceId, lockId, caller.name(), caller.objectId(), AuditEvent.API, action, outcome,
                detail, clock.instant()));
    }

    private static void pause(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
