package dev.intunelock.lock;

import java.time.Clock;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.intunelock.audit.AuditEvent;
import dev.intunelock.audit.AuditTrail;
import dev.intunelock.metrics.Metrics;
import dev.intunelock.pin.PinRecord;
import dev.intunelock.pin.PinService;

/**
 * Stores where a lock stands, and puts every change of status on the audit trail (for the account that asked, through
 * the channel it asked by). A lock that has ended lets go of its device, unless it still holds it: a Mac's lock
 * while the re-lock guard protects its recovery PIN, any other lock while it is in flight.
 */
@ApplicationScoped
class LockUpdates {

    private final LockStore store;
    private final PinService pins;
    private final AuditTrail audit;
    private final Clock clock;

    LockUpdates(LockStore store, PinService pins, AuditTrail audit, Clock clock) {
        this.store = store;
        this.pins = pins;
        this.audit = audit;
        this.clock = clock;
    }

    /** Stores the lock's new state, unless someone moved it on from {@code expected} first: theirs stands. */
    Lock saved(Lock lock, LockStatus expected) {
        if (store.update(lock, expected)) {
            if (lock.status() != expected) {
                counted(lock);
                audited(lock);
            }
            return lock;
        }
        return store.find(lock.lockId()).orElse(lock);
    }

    private void audited(Lock lock) {
        LockError error = lock.lastError();
        audit.recordDone(AuditEvent.of(lock.deviceId(), lock.lockId(), lock.requestedBy(), lock.requestedById(),
                lock.source(), AuditEvent.LOCK_PREFIX + lock.status().name(), lock.status().name(),
                error == null ? null : error.code() + ": " + error.message(), clock.instant()));
    }

    private static void counted(Lock lock) {
        Metrics.count(Metrics.LOCKS, "Status", lock.status().name());
        if (lock.status() == LockStatus.UNCONFIRMED) {
            Metrics.count(Metrics.LOCKS_UNCONFIRMED);
        } else if (lock.status() == LockStatus.FAILED && lock.lastError() != null
                && LockAttempts.GAVE_UP.equals(lock.lastError().code())) {
            Metrics.count(Metrics.LOCKS_GIVEN_UP);
        }
    }

    /** Stores a lock's new state and lets go of its device, unless the lock still holds it. */
    Lock finish(Lock lock, LockStatus expected) {
        Lock stored = saved(lock, expected);
        if (holding(stored).isEmpty()) {
            store.releaseDevice(stored.deviceId(), stored.lockId(), clock.instant());
        }
        return stored;
    }

    /**
     * Whether a lock still holds its device: a Mac lock whose command went out (or may have) while the re-lock guard
     * protects its recovery PIN; a pending lock; a sent lock until Intune settles it, for a bounded time.
     */
    Optional<HeldBy> holding(Lock lock) {
        if (lock.hasRecoveryPin()) {
            PinRecord pin = pinOf(lock);
            return pins.guardBlocks(pin) ? Optional.of(new HeldBy(lock, pin)) : Optional.empty();
        }
        boolean holds = lock.status() == LockStatus.PENDING
                || lock.status() == LockStatus.SENT && LockBounds.sentHoldsDevice(lock, clock.instant());
        return holds ? Optional.of(new HeldBy(lock, null)) : Optional.empty();
    }

    /** The PIN record of a Mac lock whose command went out (or may have); created awaiting when missing. */
    PinRecord pinOf(Lock lock) {
        return pins.forLock(lock.deviceId(), lock.lockId(), lock.commandAt(), lock.previousResultAt());
    }
}
