package dev.intunelock.lock;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.intunelock.auth.Caller;
import dev.intunelock.auth.Roles;
import dev.intunelock.intune.DeviceActionResult;
import dev.intunelock.intune.GraphException;
import dev.intunelock.intune.GraphFailure;
import dev.intunelock.intune.GraphRejectedException;
import dev.intunelock.intune.GraphUnavailableException;
import dev.intunelock.intune.Intune;
import dev.intunelock.intune.IntuneDevice;
import dev.intunelock.intune.RemoteLockResults;
import dev.intunelock.lock.LockRejections.DeviceNotFound;
import dev.intunelock.lock.LockRejections.ForceNotAllowed;
import dev.intunelock.lock.LockRejections.IdempotencyKeyReused;
import dev.intunelock.lock.LockRejections.LockInFlight;
import dev.intunelock.lock.LockRejections.LockNotFound;
import dev.intunelock.lock.LockRejections.MacPinOutstanding;
import dev.intunelock.lock.LockRejections.PlatformNotLockable;
import dev.intunelock.lock.LockStore.DeviceClaim;
import dev.intunelock.pin.PinRecord;
import dev.intunelock.pin.PinService;
import dev.intunelock.pin.PinStatus;
import dev.intunelock.pin.PinSummary;

/**
 * Locks devices: records each request, claims the device (one lock in flight per device; a Mac stays claimed while
 * the re-lock guard holds), checks the platform gate, sends Intune's remoteLock, captures a Mac's recovery PIN,
 * and keeps the record in step with what Intune says.
 */
@ApplicationScoped
public class LockService {

    private static final Logger LOG = Logger.getLogger(LockService.class);

    /** A claim whose lock was never recorded (the writer died between the two writes) is void after this. */
    static final Duration ABANDONED_CLAIM = Duration.ofMinutes(1);
    /** When Graph gave no Retry-After, a pending lock is due again after this. */
    static final Duration RETRY_LATER = Duration.ofMinutes(1);
    /** How long a request waits for a Mac's PIN after Graph accepted the lock; later reads try again. */
    static final Duration PIN_WAIT = Duration.ofSeconds(4);
    /** A request stops waiting for the PIN once this much of the function's 29 s has gone. */
    static final Duration REQUEST_BUDGET = Duration.ofSeconds(20);
    /** How long one attempt may take (the function's own timeout is 29 s): nobody re-attempts the lock before. */
    static final Duration ATTEMPT_LEASE = Duration.ofMinutes(1);

    private final LockStore store;
    private final Intune intune;
    private final PinService pins;
    private final Clock clock;

    LockService(LockStore store, Intune intune, PinService pins, Clock clock) {
        this.store = store;
        this.intune = intune;
        this.pins = pins;
        this.clock = clock;
    }

    /** A lock with its PIN summary; {@code replayed} when an Idempotency-Key gave back an earlier lock. */
    public record LockResult(Lock lock, PinSummary pin, boolean replayed) {
    }

    public LockResult requestLock(LockRequest request, String idempotencyKey, String source, Caller caller) {
        if (request.forced() && !caller.has(Roles.LOCKS_ADMIN)) {
            throw new ForceNotAllowed();
        }
        String lockId = idempotencyKey == null ? UUID.randomUUID().toString()
                : idempotentLockId(caller, idempotencyKey);
        if (idempotencyKey != null) {
            Optional<Lock> earlier = store.find(lockId);
            if (earlier.isPresent()) {
                return replay(earlier.get(), request);
            }
        }
        Optional<HeldBy> supersededPin;
        try {
            supersededPin = claim(request.deviceId(), lockId, request.forced(), caller)
                    .or(() -> outstandingPin(request.deviceId(), lockId, request.forced()));
        } catch (LockInFlight inFlight) {
            // A lock of this device that Intune has not taken yet, and is due again: this request re-attempts it.
            return retryIfDue(inFlight.lockId()).map(retried -> new LockResult(retried, pinSummary(retried), false))
                    .orElseThrow(() -> inFlight);
        }
        Instant now = clock.instant();
        Lock lock = Lock.requested(lockId, request.deviceId(), source, caller.name(), request.reason(), now,
                now.plus(ATTEMPT_LEASE), supersededPin.map(held -> held.lock().lockId()).orElse(null));
        if (!store.insert(lock)) {
            // The same Idempotency-Key raced us and won: theirs is the lock. If it was for another device, the
            // claim we took on this one is not theirs to keep.
            Lock theirs = store.find(lockId).orElseThrow();
            if (!theirs.deviceId().equals(request.deviceId())) {
                store.releaseDevice(request.deviceId(), lockId, clock.instant());
            }
            return replay(theirs, request);
        }
        LOG.infof("Lock %s recorded for device %s (source %s, by %s%s)", lockId, lock.deviceId(), source,
                caller.name(), lock.supersedes() == null ? "" : ", forced over lock " + lock.supersedes());
        supersededPin.ifPresent(held -> pins.supersede(held.pin(), lockId, caller));
        Lock sent = send(lock);
        return new LockResult(sent, pinSummary(sent), false);
    }

    public LockResult getLock(String lockId) {
        Lock lock = refreshed(store.find(lockId).orElseThrow(() -> new LockNotFound(lockId)));
        return new LockResult(lock, pinSummary(lock), false);
    }

    /**
     * Re-attempts a pending lock once its wait is over (the retry sweep's step, also taken by the next request for
     * the device). When the last attempt may have reached Intune (a timeout, a gateway error), Intune's action
     * results are read first: a remoteLock since the request means it was sent, and is not sent twice.
     */
    public Optional<Lock> retryIfDue(String lockId) {
        Instant now = clock.instant();
        Optional<Lock> due = store.find(lockId).filter(lock -> lock.dueForRetry(now));
        if (due.isEmpty() || !store.takeForAttempt(due.get(), now.plus(ATTEMPT_LEASE))) {
            return Optional.empty();
        }
        Lock lock = due.get().attemptingUntil(now.plus(ATTEMPT_LEASE));
        LOG.infof("Lock %s re-attempted (attempt %d, last error %s)", lockId, lock.attempts() + 1,
                lock.lastError() == null ? "none" : lock.lastError().code());
        if (lock.lastError() != null && lock.lastError().mayHaveReachedIntune()) {
            Optional<Lock> alreadySent = sentAfterAll(lock);
            if (alreadySent.isPresent()) {
                return alreadySent;
            }
        }
        return Optional.of(send(lock));
    }

    /** The lock's command did reach Intune if a remoteLock action started since the request was recorded. */
    private Optional<Lock> sentAfterAll(Lock lock) {
        IntuneDevice device;
        try {
            device = intune.findDevice(lock.deviceId()).orElse(null);
        } catch (GraphException unavailable) {
            return Optional.of(keepPending(lock, unavailable.failure()));
        }
        if (device == null) {
            return Optional.empty();
        }
        return RemoteLockResults.forLockSentAt(lock.requestedAt(), device.actionResults()).map(result -> {
            PlatformGate.Verdict verdict = PlatformGate.check(device.deviceType());
            Lock sent = saved(lock.describing(device.deviceName(), verdict.platform()).sent(result.startedAt()),
                    LockStatus.PENDING);
            LOG.infof("Lock %s had reached Intune after all (remoteLock started %s); not sent again",
                    lock.lockId(), result.startedAt());
            if (sent.hasRecoveryPin()) {
                pins.captureFrom(pins.forLock(sent.deviceId(), sent.lockId(), sent.sentAt()),
                        device.actionResults());
            }
            return sent;
        });
    }

    /** What holds a device: a lock and, when the re-lock guard is why, its outstanding PIN. */
    private record HeldBy(Lock lock, PinRecord pin) {
    }

    /**
     * One lock in flight per device, and no re-lock of a Mac whose PIN is outstanding: claims the device for
     * {@code lockId}, or refuses naming the lock that holds it. A forced request takes a Mac over from its guard
     * and returns what it took over.
     */
    private Optional<HeldBy> claim(String deviceId, String lockId, boolean force, Caller caller) {
        String lastHolder = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<DeviceClaim> holder = store.claimDevice(deviceId, lockId, clock.instant());
            if (holder.isEmpty()) {
                return Optional.empty();
            }
            lastHolder = holder.get().lockId();
            Optional<HeldBy> held = heldBy(holder.get());
            if (held.isEmpty()) {
                continue; // it let go: claim again
            }
            HeldBy by = held.get();
            if (by.pin() == null) {
                throw new LockInFlight(deviceId, by.lock().lockId());
            }
            if (!force) {
                throw new MacPinOutstanding(by.lock(), pins.summary(by.pin()));
            }
            if (store.takeOverClaim(deviceId, by.lock().lockId(), lockId, clock.instant())) {
                LOG.warnf("Lock %s forced by %s over lock %s, whose recovery PIN becomes useless", lockId,
                        caller.name(), by.lock().lockId());
                return held;
            }
        }
        throw new LockInFlight(deviceId, lastHolder); // the claim kept changing hands: someone else is locking it
    }

    /**
     * The re-lock guard once more, after the claim was won: the device's latest Mac PIN may be outstanding even
     * though its lock let go of the claim (a forced lock that Graph then refused, say). Without {@code force} the
     * claim is given back and the request refused.
     */
    private Optional<HeldBy> outstandingPin(String deviceId, String lockId, boolean force) {
        Optional<PinRecord> outstanding = pins.latest(deviceId)
                .filter(pin -> !pin.lockId().equals(lockId) && pins.guardBlocks(pin));
        if (outstanding.isEmpty()) {
            return Optional.empty();
        }
        PinRecord pin = outstanding.get();
        Lock guarded = store.find(pin.lockId()).orElseThrow(() -> new LockInFlight(deviceId, pin.lockId()));
        if (!force) {
            store.releaseDevice(deviceId, lockId, clock.instant());
            throw new MacPinOutstanding(guarded, pins.summary(pin));
        }
        return Optional.of(new HeldBy(guarded, pin));
    }

    /** What really holds the claim now; lets go of the claim when nothing does. */
    private Optional<HeldBy> heldBy(DeviceClaim holder) {
        Optional<Lock> holding = store.find(holder.lockId());
        if (holding.isEmpty()) {
            if (holder.claimedAt().isAfter(clock.instant().minus(ABANDONED_CLAIM))) {
                // Being recorded right now.
                return Optional.of(new HeldBy(Lock.requested(holder.lockId(), holder.deviceId(), null, null, null,
                        holder.claimedAt(), holder.claimedAt().plus(ATTEMPT_LEASE), null), null));
            }
            store.releaseDevice(holder.deviceId(), holder.lockId(), clock.instant());
            return Optional.empty();
        }
        Lock current = refreshed(holding.get());
        Optional<HeldBy> held = holdingOf(current);
        if (held.isEmpty()) {
            store.releaseDevice(holder.deviceId(), holder.lockId(), clock.instant());
        }
        return held;
    }

    /**
     * Whether a lock still holds its device: a sent Mac lock while the re-lock guard protects its recovery PIN;
     * any other lock while it is in flight.
     */
    private Optional<HeldBy> holdingOf(Lock lock) {
        if (lock.hasRecoveryPin()) {
            PinRecord pin = pins.forLock(lock.deviceId(), lock.lockId(), lock.sentAt());
            return pins.guardBlocks(pin) ? Optional.of(new HeldBy(lock, pin)) : Optional.empty();
        }
        return lock.status().inFlight() ? Optional.of(new HeldBy(lock, null)) : Optional.empty();
    }

    private Lock send(Lock lock) {
        Instant attemptStarted = clock.instant();
        IntuneDevice device;
        try {
            device = intune.findDevice(lock.deviceId()).orElse(null);
        } catch (GraphException unavailable) {
            return keepPending(lock, unavailable.failure());
        }
        if (device == null) {
            finish(lock.rejected(error("deviceNotFound", "Intune has no managed device with this id.", null), false),
                    LockStatus.PENDING);
            throw new DeviceNotFound(lock);
        }
        PlatformGate.Verdict verdict = PlatformGate.check(device.deviceType());
        Lock described = lock.describing(device.deviceName(), verdict.platform());
        if (verdict instanceof PlatformGate.Refused refused) {
            Lock rejected = finish(described.rejected(error("platformNotSupported", refused.reason(), null), false),
                    LockStatus.PENDING);
            throw new PlatformNotLockable(rejected, refused.reason());
        }
        Instant sending = clock.instant();
        try {
            intune.remoteLock(described.deviceId());
        } catch (GraphRejectedException rejected) {
            LOG.warnf("Graph refused lock %s: %s (request-id %s)", lock.lockId(), rejected.failure().code(),
                    rejected.failure().requestId());
            return finish(described.rejected(error(rejected.failure()), true), LockStatus.PENDING);
        } catch (GraphUnavailableException unavailable) {
            return keepPending(described, unavailable.failure());
        }
        Lock sent = saved(described.sent(sending), LockStatus.PENDING);
        LOG.infof("Lock %s sent to Intune for device %s (%s)", sent.lockId(), sent.deviceId(), sent.platform());
        if (sent.hasRecoveryPin()) {
            Instant pollUntil = clock.instant().plus(PIN_WAIT);
            Instant budgetEnds = attemptStarted.plus(REQUEST_BUDGET);
            pins.awaitPinAfterSend(sent.deviceId(), sent.lockId(), sent.sentAt(),
                    pollUntil.isBefore(budgetEnds) ? pollUntil : budgetEnds);
        }
        return sent;
    }

    /** Graph did not take it this time: the lock stays pending, with the error, for the retry sweep. */
    private Lock keepPending(Lock lock, GraphFailure failure) {
        LOG.warnf("Lock %s still pending: Graph %s %s (request-id %s)", lock.lockId(), failure.httpStatus(),
                failure.code(), failure.requestId());
        Duration wait = failure.retryAfterSeconds() == null ? RETRY_LATER
                : Duration.ofSeconds(Math.max(failure.retryAfterSeconds(), 1));
        return saved(lock.notTaken(error(failure), clock.instant().plus(wait)), LockStatus.PENDING);
    }

    /**
     * Brings a lock up to date with Intune's report of its remoteLock action: the status of a sent lock, and the
     * recovery PIN of a Mac lock still awaiting it. One Graph read serves both.
     */
    private Lock refreshed(Lock lock) {
        boolean statusOpen = lock.status() == LockStatus.SENT;
        Optional<PinRecord> awaitedPin = lock.hasRecoveryPin()
                ? Optional.of(pins.forLock(lock.deviceId(), lock.lockId(), lock.sentAt()))
                        .filter(pin -> pins.summary(pin).status() == PinStatus.AWAITING)
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
        return RemoteLockResults.forLockSentAt(lock.sentAt(), device.actionResults())
                .flatMap(result -> IntuneOutcome.settledStatus(result)
                        .map(status -> finish(lock.withStatus(status, failure(status, result)), LockStatus.SENT)))
                .orElse(lock);
    }

    private LockError failure(LockStatus status, DeviceActionResult result) {
        if (status != LockStatus.FAILED) {
            return null;
        }
        String state = result.actionState();
        return error("action" + Character.toUpperCase(state.charAt(0)) + state.substring(1),
                "Intune reports the remoteLock action as " + state + ".", null);
    }

    /** Stores a lock's final state and lets go of its device, unless the re-lock guard still holds it. */
    private Lock finish(Lock lock, LockStatus expected) {
        Lock stored = saved(lock, expected);
        if (holdingOf(stored).isEmpty()) {
            store.releaseDevice(stored.deviceId(), stored.lockId(), clock.instant());
        }
        return stored;
    }

    private Lock saved(Lock lock, LockStatus expected) {
        if (store.update(lock, expected)) {
            return lock;
        }
        return store.find(lock.lockId()).orElse(lock); // someone else moved it on first: theirs stands
    }

    private PinSummary pinSummary(Lock lock) {
        if (lock.platform() == null || !lock.platform().hasRecoveryPin() || lock.status() == LockStatus.REJECTED) {
            return PinSummary.NOT_APPLICABLE;
        }
        if (lock.sentAt() == null) {
            return PinSummary.AWAITING_SEND;
        }
        return pins.summary(pins.forLock(lock.deviceId(), lock.lockId(), lock.sentAt()));
    }

    private LockResult replay(Lock earlier, LockRequest request) {
        if (!earlier.deviceId().equals(request.deviceId())) {
            throw new IdempotencyKeyReused(earlier);
        }
        Lock current = refreshed(earlier);
        return new LockResult(current, pinSummary(current), true);
    }

    private LockError error(GraphFailure failure) {
        return new LockError(failure.code(), failure.message(), failure.requestId(), failure.httpStatus(),
                clock.instant());
    }

    private LockError error(String code, String message, String requestId) {
        return new LockError(code, message, requestId, 0, clock.instant());
    }

    static String idempotentLockId(Caller caller, String idempotencyKey) {
        return UUID.nameUUIDFromBytes(("lock\n" + caller.name() + "\n" + idempotencyKey)
                .getBytes(StandardCharsets.UTF_8)).toString();
    }
}
