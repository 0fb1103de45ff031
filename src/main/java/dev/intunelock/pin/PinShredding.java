package dev.intunelock.pin;

import java.time.Clock;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.intunelock.audit.AuditEvent;
import dev.intunelock.audit.AuditTrail;

/**
 * The end of a PIN's window, as the retry sweep carries it out: the sealed PIN leaves its record at {@code expiresAt}
 * (the data key that sealed it is destroyed by the vault at the {@link ShreddingBound}).
 */
@ApplicationScoped
public class PinShredding {

    private static final String SWEEP = "retry sweep";

    private final PinStore pins;
    private final AuditTrail audit;
    private final Clock clock;

    PinShredding(PinStore pins, AuditTrail audit, Clock clock) {
        this.pins = pins;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * The sweep's step for a PIN whose window is over: its sealed PIN leaves the record at once, not when DynamoDB's
     * TTL gets to the item. True if removed by this call.
     */
    public boolean shred(PinRecord expired) {
        if (expired.sealedPin() == null || PinWindow.isOpen(expired.expiresAt(), clock.instant())
                || !pins.removeSealedPin(expired)) {
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

}
