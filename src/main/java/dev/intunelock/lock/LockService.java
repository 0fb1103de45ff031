package dev.intunelock.lock;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.intunelock.audit.AuditEvent;
import dev.intunelock.audit.AuditTrail;
import dev.intunelock.auth.Caller;
import dev.intunelock.auth.Roles;
import dev.intunelock.intune.GraphDeadline;
import dev.intunelock.lock.LockRejections.ForceNotAllowed;
import dev.intunelock.lock.LockRejections.IdempotencyKeyReused;
import dev.intunelock.lock.LockRejections.LockInFlight;
import dev.intunelock.lock.LockRejections.LockNotFound;
import dev.intunelock.pin.PinService;
import dev.intunelock.pin.PinStatus;
import dev.intunelock.pin.PinSummary;
import dev.intunelock.pin.PinWindow;
import dev.intunelock.random.FreshRandom;
import dev.intunelock.storage.StorageUnavailableException;

/**
 * What happens to a lock request, whichever channel it came from: it is recorded before Intune is asked anything,
 * claims its device (one lock in flight per device; a Mac stays claimed while the re-lock guard holds), and gets one
 * attempt within the caller's time; what that attempt could not finish, the retry sweep does.
 */
@ApplicationScoped
public class LockService {

    private static final Logger LOG = Logger.getLogger(LockService.class);

    private final LockStore store;
    private final DeviceClaims claims;
    private final LockAttempts attempts;
    private final IntuneRefresh refresh;
    private final LockUpdates updates;
    private final PinService pins;
    private final AuditTrail audit;
    private final Clock clock;

    LockService(LockStore store, DeviceClaims claims, LockAttempts attempts, IntuneRefresh refresh,
            LockUpdates updates, PinService pins, AuditTrail audit, Clock clock) {
        this.store = store;
        this.claims = claims;
        this.attempts = attempts;
        this.refresh = refresh;
        this.updates = updates;
        this.pins = pins;
        this.audit = audit;
        this.clock = clock;
    }

    /** A lock with its PIN summary; {@code replayed} when an Idempotency-Key gave back an earlier lock. */
    public record LockResult(Lock lock, PinSummary pin, boolean replayed) {
    }

    /** A lock request whose attempt may take the usual share of the function's time. */
    public LockResult requestLock(LockRequest request, String idempotencyKey, String source, Caller caller) {
        return requestLock(request, idempotencyKey, source, caller, clock.instant().plus(LockBounds.ATTEMPT_BUDGET));
    }

    /** A lock request whose Graph work ends by {@code deadline}; what is left then stays pending for the sweep. */
    public LockResult requestLock(LockRequest request, String idempotencyKey, String source, Caller caller,
            Instant deadline) {
        if (request.forced() && !caller.has(Roles.LOCKS_ADMIN)) {
            throw new ForceNotAllowed();
        }
        String lockId = idempotencyKey == null ? FreshRandom.uuid().toString()
                : idempotentLockId(caller, idempotencyKey);
        if (idempotencyKey != null) {
            Optional<Lock> earlier = store.find(lockId);
            if (earlier.isPresent()) {
                return replay(earlier.get(), request);
            }
        }
        DeviceClaims.Outcome claim = claims.claim(request.deviceId(), lockId, request.forced(), caller);
        if (claim instanceof DeviceClaims.InFlight inFlight) {
            // A lock of this device that Intune has not taken yet, and is due again: this request re-attempts it.
            return attempts.retryIfDue(inFlight.lockId(), deadline).map(this::result)
                    .orElseThrow(() -> new LockInFlight(request.deviceId(), inFlight.lockId()));
        }
        Optional<HeldBy> supersededPin = ((DeviceClaims.Won) claim).tookOver();
        Instant now = clock.instant();
        boolean attemptNow = GraphDeadline.leavesTimeForACall(deadline, clock);
        // Without time for an attempt, the lock is recorded due at once: the retry sweep sends it.
        Lock lock = Lock.requested(lockId, request.deviceId(), source, caller.name(), caller.objectId(),
                request.reason(), now,
                attemptNow ? now.plus(LockBounds.ATTEMPT_LEASE) : now,
                supersededPin.map(held -> held.lock().lockId()).orElse(null));
        if (!store.insert(lock)) {
            // The same Idempotency-Key raced us and won: theirs is the lock. If it was for another device, the
            // claim we took on this one is not theirs to keep.
            Lock theirs = store.find(lockId).orElseThrow();
            if (!theirs.deviceId().equals(request.deviceId())) {
                claims.release(request.deviceId(), lockId);
            }
            return replay(theirs, request);
        }
        LOG.infof("Lock %s recorded for device %s (source %s, by %s%s)", lockId, lock.deviceId(), source,
                caller.name(), lock.supersedes() == null ? "" : ", forced over lock " + lock.supersedes());
        audit.recordDone(AuditEvent.of(lock.deviceId(), lockId, caller.name(), caller.objectId(), source,
                AuditEvent.LOCK_REQUESTED, lock.status().name(), lock.reason()
                        + (lock.supersedes() == null ? "" : " (forced over lock " + lock.supersedes() + ")"), now));
        supersededPin.ifPresent(held -> pins.supersede(held.pin(), lockId, caller));
        if (!attemptNow) {
            LOG.infof("Lock %s left to the retry sweep: no time left in this request for Intune", lockId);
            return result(lock);
        }
        return result(attempts.attempt(lock, deadline));
    }

    public LockResult getLock(String lockId) {
        return result(refresh.refreshed(store.find(lockId).orElseThrow(() -> new LockNotFound(lockId))));
    }

    /** The retry sweep's step: re-attempts the lock if it is due, within {@code deadline}. */
    public Optional<Lock> retryIfDue(String lockId, Instant deadline) {
        return attempts.retryIfDue(lockId, deadline);
    }

    /** The lock after {@link #retryIfDue}: re-attempted if it was due, else as recorded (no Intune read). */
    public Optional<Lock> retriedIfDue(String lockId, Instant deadline) {
        return attempts.retriedIfDue(lockId, deadline);
    }

    /** The lock as recorded (no Intune read), if it exists. */
    public Optional<Lock> recorded(String lockId) {
        return store.find(lockId);
    }

    /** The device's most recent lock, whatever its status. */
    public Optional<Lock> latestLock(String deviceId) {
        return store.claimOf(deviceId).flatMap(claim -> store.find(claim.lockId()));
    }

    /** The device's most recent lock with its PIN summary, as recorded (no Intune read). */
    public Optional<LockResult> latestWithPin(String deviceId) {
        return latestLock(deviceId).map(this::result);
    }

    private LockResult result(Lock lock) {
        try {
            return new LockResult(lock, pinSummary(lock), false);
        } catch (StorageUnavailableException unreadable) {
            // The lock went out but the store is failing: answer with the lock as far as we know it.
            return new LockResult(lock, new PinSummary(PinStatus.AWAITING,
                    lock.hasRecoveryPin() ? PinWindow.expiresAt(lock.commandAt()) : null), false);
        }
    }

    private PinSummary pinSummary(Lock lock) {
        if (lock.platform() == null || !lock.platform().hasRecoveryPin() || lock.status() == LockStatus.REJECTED) {
            return PinSummary.NOT_APPLICABLE;
        }
        if (lock.commandAt() == null) {
            return lock.status().inFlight() ? PinSummary.AWAITING_SEND : PinSummary.NOT_APPLICABLE;
        }
        return pins.summary(updates.pinOf(lock));
    }

    private LockResult replay(Lock earlier, LockRequest request) {
        if (!earlier.deviceId().equals(request.deviceId())) {
            throw new IdempotencyKeyReused(earlier);
        }
        Lock current = refresh.refreshed(earlier);
        return new LockResult(current, pinSummary(current), true);
    }

    static String idempotentLockId(Caller caller, String idempotencyKey) {
        return UUID.nameUUIDFromBytes(("lock\n" + caller.name() + "\n" + idempotencyKey)
                .getBytes(StandardCharsets.UTF_8)).toString();
    }
}
