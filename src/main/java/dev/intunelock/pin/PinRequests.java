package dev.intunelock.pin;

import java.time.Clock;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.intunelock.audit.AuditEvent;
import dev.intunelock.audit.AuditTrail;
import dev.intunelock.auth.Caller;
import dev.intunelock.auth.Roles;
import dev.intunelock.pin.PinRejections.NoPinServed;
import dev.intunelock.pin.PinRejections.PinReadNotAllowed;
import dev.intunelock.pin.PinRejections.PinRecordBusy;
import dev.intunelock.vault.VaultExceptions.KeyShredded;
import dev.intunelock.vault.VaultExceptions.SealBroken;
import dev.intunelock.vault.VaultExceptions.VaultUnavailable;

/**
 * What people ask of a Mac's recovery PIN through the API: to read it (only {@code Pins.Read} holders, opened from
 * its seal for that one answer) and to confirm the Mac was unlocked with it. Every answer is on the audit trail
 * before it is given.
 */
@ApplicationScoped
public class PinRequests {

    private static final Logger LOG = Logger.getLogger(PinRequests.class);

    private final PinStore pins;
    private final PinService lifecycle;
    private final PinSealing sealing;
    private final AuditTrail audit;
    private final Clock clock;

    PinRequests(PinStore pins, PinService lifecycle, PinSealing sealing, AuditTrail audit, Clock clock) {
        this.pins = pins;
        this.lifecycle = lifecycle;
        this.sealing = sealing;
        this.audit = audit;
        this.clock = clock;
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
            PinRecord pin = lifecycle.captureFromIntune(latest.get());
            PinStatus status = pin.statusAt(clock.instant());
            if (servable(pin, status)) {
                RecoveryPin digits = opened(pin);
                // Opening may have waited on KMS: the window is checked again at the last moment.
                status = pin.statusAt(clock.instant());
                if (servable(pin, status)) {
                    record(deviceId, pin.lockId(), caller, AuditEvent.PIN_READ, AuditEvent.GRANTED, status.name());
                    return PinView.of(pin, digits);
                }
            }
            record(deviceId, pin.lockId(), caller, AuditEvent.PIN_READ, AuditEvent.REFUSED, status.name());
            throw new NoPinServed(deviceId, pin.lockId(), status, whyNoPin(pin, status));
        } catch (VaultUnavailable vault) {
            record(deviceId, latest.get().lockId(), caller, AuditEvent.PIN_READ, AuditEvent.REFUSED,
                    "PIN vault unavailable");
            throw vault;
        }
    }

    private static boolean servable(PinRecord pin, PinStatus status) {
        return (status == PinStatus.STORED || status == PinStatus.USED) && pin.sealedPin() != null;
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
            String reason) {
        audit.record(AuditEvent.of(deviceId, lockId, caller.name(), caller.objectId(), AuditEvent.API, action, outcome,
                reason, clock.instant()));
    }
}
