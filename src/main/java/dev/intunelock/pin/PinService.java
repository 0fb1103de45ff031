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
import dev.intunelock.auth.Roles;
import dev.intunelock.intune.DeviceActionResult;
import dev.intunelock.intune.GraphException;
import dev.intunelock.intune.Intune;
import dev.intunelock.metrics.Metrics;
import dev.intunelock.pin.PinRejections.NoPinServed;
import dev.intunelock.pin.PinRejections.PinReadNotAllowed;
import dev.intunelock.pin.PinRejections.PinRecordBusy;
import dev.intunelock.vault.VaultExceptions.KeyShredded;
import dev.intunelock.vault.VaultExceptions.SealBroken;
import dev.intunelock.vault.VaultExceptions.VaultUnavailable;

/**
 * The life of a Mac's recovery PIN: captured after the lock is sent and stored sealed, held for the 30-day window,
 * served only to {@code Pins.Read} holders (every read audited), marked used once the Mac has been unlocked, and
 * shredded when the window ends.
 */
@ApplicationScoped
public class PinService {

    private static final Logger LOG = Logger.getLogger(PinService.class);
    private static final String SWEEP = "retry sweep";

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

    /** The PIN of the device's latest Mac lock, opened for a {@code Pins.Read} holder; every answer is audited. */
    public PinView read(String deviceId, Caller caller) {
        if (!caller.has(Roles.PINS_READ)) {
            record(deviceId, null, caller, AuditEvent.PIN_READ, AuditEvent.REFUSED, "caller lacks Pins.Read");
            throw new PinReadNotAllowed();
        }
        Optional<PinRecord> latest = pins.latest(deviceId);
        if (latest.isEmpty()) {
            record(deviceId, null, caller, AuditEvent.PIN_READ, AuditEvent.REFUSED, "no Mac lock on record");
            throw new NoPinServed(deviceId, null, PinStatus.NOT_APPLICABLE,
                    "No recovery PIN is held for this device: there is no Mac lock on record for it.");
        }
        try {
            PinRecord pin = captureFromIntune(latest.get());
            PinStatus status = pin.statusAt(clock.instant());
            if ((status == PinStatus.STORED || status == PinStatus.USED) && pin.sealedPin() != null) {
                PinView served = PinView.of(pin, opened(pin));
                record(deviceId, pin.lockId(), caller, AuditEvent.PIN_READ, AuditEvent.GRANTED, status.name());
                return served;
            }
            record(deviceId, pin.lockId(), caller, AuditEvent.PIN_READ, AuditEvent.REFUSED, status.name());
            throw new NoPinServed(deviceId, pin.lockId(), status, whyNoPin(pin, status));
        } catch (VaultUnavailable vault) {
            record(deviceId, latest.get().lockId(), caller, AuditEvent.PIN_READ, AuditEvent.REFUSED,
                    "PIN vault unavailable");
            throw vault;
        }
    }

    private RecoveryPin opened(PinRecord pin) {
        try {
            return sealing.open(pin);
        } catch (KeyShredded gone) {
            throw new NoPinServed(pin.deviceId(), pin.lockId(), PinStatus.EXPIRED, "The recovery PIN of lock "
                    + pin.lockId() + " can no longer be decrypted: the key it was sealed under has been destroyed, "
                    + "as every PIN's key is at most a day after the PIN's 30 days.");
        } catch (SealBroken broken) {
            LOG.errorf("Lock %s: the stored PIN does not open with its own device, lock and expiry", pin.lockId());
            throw new NoPinServed(pin.deviceId(), pin.lockId(), PinStatus.UNAVAILABLE, "The stored recovery PIN of "
                    + "lock " + pin.lockId() + " does not belong to this record, so it is not served. "
                    + PinCapture.ADMIN_CENTER);
        }
    }

    /**
     * The sweep's step for a PIN whose window is over: its sealed PIN leaves the record at once, not when DynamoDB's
     * TTL gets to the item. True if removed by this call.
     */
    public boolean shred(PinRecord expired) {
        if (expired.sealedPin() == null || PinWindow.isOpen(expired.expiresAt(), clock.instant())
                || !pins.update(expired.withoutPin(), expired.state())) {
            return false;
        }
        audit.recordDone(AuditEvent.of(expired.deviceId(), expired.lockId(), SWEEP, null, AuditEvent.RETRY_SWEEP,
                AuditEvent.PIN_SHREDDED, AuditEvent.DONE, "window ended " + expired.expiresAt()
                        + "; sealed PIN removed, its key is destroyed by "
                        + ShreddingBound.keyOf(expired.lockedAt()).shredAt(), clock.instant()));
        return true;
    }

    /** Sealed PINs whose window is over, for the sweep to {@link #shred}. */
    public List<PinRecord> expiredSealed(int limit) {
        return pins.sealedExpiredBy(clock.instant(), limit);
    }

    /** Someone unlocked the Mac with its PIN: the guard lifts; the PIN is still held until its window ends. */
    public void confirmUnlocked(String deviceId, Caller caller) {
        for (int attempt = 0; attempt < 3; attempt++) {
            PinRecord pin = pins.latest(deviceId).orElseThrow(() -> new NoPinServed(deviceId, null,
                    PinStatus.NOT_APPLICABLE, "There is no Mac lock on record for this device."));
            if (pin.unlockedAt() != null || pins.update(pin.used(clock.instant(), caller.name()), pin.state())) {
                record(deviceId, pin.lockId(), caller, AuditEvent.PIN_UNLOCK_CONFIRMED, AuditEvent.GRANTED,
                        pin.unlockedAt() != null ? "already confirmed" : "guard lifted");
                return;
            }
        }
        throw new PinRecordBusy(deviceId);
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

    private PinRecord captureFromIntune(PinRecord pin) {
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

    private static String whyNoPin(PinRecord pin, PinStatus status) {
        return switch (status) {
            case EXPIRED -> "The recovery PIN of lock " + pin.lockId() + " expired at " + pin.expiresAt()
                    + ": Intune and this service keep it only 30 days after the lock command was sent.";
            case AWAITING -> "Intune has not reported the recovery PIN of lock " + pin.lockId()
                    + " yet; try again shortly. " + PinCapture.ADMIN_CENTER;
            case UNAVAILABLE -> pin.note();
            default -> "No recovery PIN is held for lock " + pin.lockId() + ".";
        };
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
