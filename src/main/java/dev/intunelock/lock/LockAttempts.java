package dev.intunelock.lock;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.intunelock.intune.DeviceActionResult;
import dev.intunelock.intune.GraphDeadline;
import dev.intunelock.intune.GraphFailure;
import dev.intunelock.intune.GraphRejectedException;
import dev.intunelock.intune.GraphUnavailableException;
import dev.intunelock.intune.Intune;
import dev.intunelock.intune.IntuneDevice;
import dev.intunelock.intune.RemoteLockResults;
import dev.intunelock.intune.WritePriority;
import dev.intunelock.lock.LockRejections.DeviceNotFound;
import dev.intunelock.lock.LockRejections.PlatformNotLockable;
import dev.intunelock.metrics.Metrics;
import dev.intunelock.pin.PinService;
import dev.intunelock.storage.StorageUnavailableException;

/**
 * One attempt at a lock that holds its device's claim and the attempt's lease: reads the device, applies the
 * platform gate, and sends remoteLock, writing down before the call that it is about to be made. A lock whose last
 * command has no recorded outcome is not sent again before Intune's action results have been read: when they list
 * the command it was sent after all; a Mac's command is never sent a second time; another device's is sent again
 * only after Intune positively lists nothing. Every attempt ends by its deadline, leaving the lock in a state the
 * next attempt picks up.
 */
@ApplicationScoped
class LockAttempts {

    private static final Logger LOG = Logger.getLogger(LockAttempts.class);
    static final String GAVE_UP = "gaveUp";

    private final LockStore store;
    private final Intune intune;
    private final PinService pins;
    private final LockUpdates updates;
    private final Clock clock;

    LockAttempts(LockStore store, Intune intune, PinService pins, LockUpdates updates, Clock clock) {
        this.store = store;
        this.intune = intune;
        this.pins = pins;
        this.updates = updates;
        this.clock = clock;
    }

    /**
     * Re-attempts a pending lock once its wait is over (the retry sweep's step, also taken by the next request for
     * the device): a conditional lease lets exactly one of several callers do it.
     */
    Optional<Lock> retryIfDue(String lockId, Instant deadline) {
        return store.find(lockId).flatMap(recorded -> retryIfDue(recorded, deadline));
    }

    /** The lock after {@link #retryIfDue}: re-attempted if it was due, else as recorded; empty if there is none. */
    Optional<Lock> retriedIfDue(String lockId, Instant deadline) {
        return store.find(lockId).map(recorded -> retryIfDue(recorded, deadline).orElse(recorded));
    }

    private Optional<Lock> retryIfDue(Lock recorded, Instant deadline) {
        Instant now = clock.instant();
        String lockId = recorded.lockId();
        if (!recorded.dueForRetry(now) || !store.takeForAttempt(recorded, now.plus(LockBounds.ATTEMPT_LEASE))) {
            return Optional.empty();
        }
        Lock lock = recorded.attemptingUntil(now.plus(LockBounds.ATTEMPT_LEASE));
        Metrics.count(Metrics.LOCK_REATTEMPTS);
        LOG.infof("Lock %s re-attempted (attempt %d, last error %s%s)", lockId, lock.attempts() + 1,
                lock.lastError() == null ? "none" : lock.lastError().code(),
                lock.unconfirmed() ? ", last command unconfirmed since " + lock.unconfirmedSince() : "");
        if (!lock.unconfirmed() && LockBounds.givenUp(lock, now)) {
            LOG.warnf("Lock %s given up: Intune has not taken it since %s", lockId, lock.requestedAt());
            return Optional.of(updates.finish(lock.withStatus(LockStatus.FAILED, error(GAVE_UP,
                    "Intune did not accept the lock within " + LockBounds.GIVE_UP_AFTER.toHours()
                            + " h of the request; it is not sent any more. Request a new lock if it is still needed.",
                    lock.lastError())), LockStatus.PENDING));
        }
        return Optional.of(attempt(lock, deadline));
    }

    /** One attempt at {@code lock}, whose Graph work ends by {@code deadline}. */
    Lock attempt(Lock lock, Instant deadline) {
        return GraphDeadline.within(deadline, clock, () -> attemptWithinDeadline(lock, deadline));
    }

    private Lock attemptWithinDeadline(Lock lock, Instant deadline) {
        IntuneDevice device;
        try {
            device = intune.findDevice(lock.deviceId()).orElse(null);
        } catch (GraphRejectedException refused) {
            if (lock.unconfirmed()) {
                // Its last command may have reached the device: it stays unconfirmed (and a Mac guarded), not rejected.
                return notSent(lock, error(refused.failure()), clock.instant().plus(LockBounds.RETRY_LATER));
            }
            LOG.warnf("Lock %s rejected: Graph refused the device read, %s (request-id %s)", lock.lockId(),
                    refused.failure().code(), refused.failure().requestId());
            return updates.finish(lock.rejected(error(refused.failure()), false), LockStatus.PENDING);
        } catch (GraphUnavailableException unavailable) {
            return notSent(lock, error(unavailable.failure()), retryAt(unavailable.failure()));
        }
        if (device == null) {
            updates.finish(lock.rejected(error("deviceNotFound", "Intune has no managed device with this id.",
                    null), false), LockStatus.PENDING);
            throw new DeviceNotFound(lock);
        }
        PlatformGate.Verdict verdict = PlatformGate.check(device.deviceType());
        Lock described = lock.describing(device.deviceName(), verdict.platform());
        if (verdict instanceof PlatformGate.Refused refused) {
            Lock rejected = updates.finish(described.rejected(error("platformNotSupported", refused.reason(), null),
                    false), LockStatus.PENDING);
            throw new PlatformNotLockable(rejected, refused.reason());
        }
        if (described.unconfirmed()) {
            Optional<DeviceActionResult> arrived = RemoteLockResults.forLock(described.previousResultAt(),
                    described.unconfirmedSince(), device.actionResults());
            if (arrived.isPresent()) {
                return arrivedAfterAll(described, device);
            }
            if (described.platform().hasRecoveryPin() || LockBounds.givenUp(described, clock.instant())) {
                return notSent(described, described.lastError(), clock.instant().plus(LockBounds.RETRY_LATER));
            }
            LOG.infof("Lock %s: Intune lists no command since %s; sending it again", lock.lockId(),
                    described.unconfirmedSince());
            described = described.notArrived();
        }
        return send(described, device, deadline);
    }

    private Lock send(Lock described, IntuneDevice device, Instant deadline) {
        Lock sending = described.sending(clock.instant(), RemoteLockResults.newestStart(device.actionResults()));
        if (!store.recordSending(sending)) {
            return store.find(described.lockId()).orElse(described); // the lease passed on: the other attempt decides
        }
        try {
            intune.remoteLock(sending.deviceId(), sending.partOfBatch() ? WritePriority.BULK : WritePriority.URGENT);
        } catch (GraphRejectedException rejected) {
            LOG.warnf("Graph refused lock %s: %s (request-id %s)", sending.lockId(), rejected.failure().code(),
                    rejected.failure().requestId());
            return asFarAsKnown(() -> updates.finish(sending.rejected(error(rejected.failure()), true),
                    LockStatus.PENDING), sending);
        } catch (GraphUnavailableException unavailable) {
            GraphFailure failure = unavailable.failure();
            LOG.warnf("Lock %s still pending: Graph %s %s (request-id %s)%s", sending.lockId(), failure.httpStatus(),
                    failure.code(), failure.requestId(), failure.mayHaveActed() ? ", may have reached Intune" : "");
            Lock failed = sending.sendFailed(error(failure),
                    failure.mayHaveActed() ? clock.instant().plus(LockBounds.RETRY_LATER) : retryAt(failure));
            return asFarAsKnown(() -> updates.saved(failed, LockStatus.PENDING), failed);
        }
        Lock sent = sending.sent();
        LOG.infof("Lock %s sent to Intune for device %s (%s)", sent.lockId(), sent.deviceId(), sent.platform());
        try {
            sent = updates.saved(sent, LockStatus.PENDING);
            if (sent.hasRecoveryPin()) {
                Instant pollUntil = clock.instant().plus(LockBounds.PIN_WAIT);
                pins.awaitPinAfterSend(sent.deviceId(), sent.lockId(), sent.sentAt(), sent.previousResultAt(),
                        pollUntil.isBefore(deadline) ? pollUntil : deadline);
            }
        } catch (StorageUnavailableException unrecorded) {
            LOG.warnf("Lock %s was accepted by Graph but its record could not be brought up to date; the record "
                    + "says its command is unconfirmed, so the next attempt reads Intune instead of sending again",
                    sent.lockId());
        }
        return sent;
    }

    /** Intune lists the unconfirmed command: it arrived, and is not sent again. */
    private Lock arrivedAfterAll(Lock lock, IntuneDevice device) {
        Lock sent = updates.saved(lock.sentAfterAll(), LockStatus.PENDING);
        LOG.infof("Lock %s had reached Intune after all (command of %s); not sent again", lock.lockId(),
                lock.unconfirmedSince());
        if (sent.hasRecoveryPin()) {
            pins.captureFrom(updates.pinOf(sent), device.actionResults());
        }
        return sent;
    }

    /**
     * Nothing was sent this time. A lock whose last command is unconfirmed stays so (it is checked again, never sent
     * blind) until the bound, and then ends {@link LockStatus#UNCONFIRMED}.
     */
    private Lock notSent(Lock lock, LockError error, Instant retryAt) {
        if (LockBounds.unconfirmedTooLong(lock, clock.instant())) {
            LOG.warnf("Lock %s unconfirmed: whether its command of %s reached Intune is still unknown; it is not "
                    + "sent again", lock.lockId(), lock.unconfirmedSince());
            Lock unconfirmed = updates.finish(lock.unconfirmedForGood(error("unconfirmed",
                    "Graph's answer to the lock command of " + lock.unconfirmedSince() + " was lost and Intune did "
                            + "not list the command within " + LockBounds.UNCONFIRMED_AFTER.toMinutes()
                            + " min, so it is not sent again. Check the device in the Intune admin center (Devices > "
                            + "the device > Device actions): if the lock is not there, request a new one"
                            + (lock.platform() != null && lock.platform().hasRecoveryPin()
                                    ? " (for this Mac: confirm it is unlocked, or force the new lock)." : "."),
                    error)), LockStatus.PENDING);
            if (unconfirmed.hasRecoveryPin()) {
                updates.pinOf(unconfirmed); // the Mac may be locked with a PIN we do not know: the guard holds
            }
            return unconfirmed;
        }
        Lock pending = lock.notSent(error, retryAt);
        return asFarAsKnown(() -> updates.saved(pending, LockStatus.PENDING), pending);
    }

    /** After Graph was called, a store that fails does not turn the answer into a claim that nothing was sent. */
    private Lock asFarAsKnown(java.util.function.Supplier<Lock> record, Lock known) {
        try {
            return record.get();
        } catch (StorageUnavailableException unrecorded) {
            LOG.warnf("Lock %s: its new state could not be recorded; the next attempt reads Intune first",
                    known.lockId());
            return known;
        }
    }

    private Instant retryAt(GraphFailure failure) {
        Duration wait = failure.retryAfterSeconds() == null ? LockBounds.RETRY_LATER
                : Duration.ofSeconds(Math.max(failure.retryAfterSeconds(), 1));
        return clock.instant().plus(wait);
    }

    private LockError error(GraphFailure failure) {
        return new LockError(failure.code(), failure.message(), failure.requestId(), failure.httpStatus(),
                clock.instant(), failure.mayHaveActed());
    }

    private LockError error(String code, String message, LockError cause) {
        return new LockError(code, message, cause == null ? null : cause.requestId(),
                cause == null ? 0 : cause.httpStatus(), clock.instant(), cause != null && cause.intuneMayHaveActed());
    }
}
