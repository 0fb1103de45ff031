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
import dev.intunelock.intune.DeviceActionResult;
import dev.intunelock.intune.GraphException;
import dev.intunelock.intune.GraphFailure;
import dev.intunelock.intune.GraphRejectedException;
import dev.intunelock.intune.GraphUnavailableException;
import dev.intunelock.intune.Intune;
import dev.intunelock.intune.IntuneDevice;
import dev.intunelock.lock.LockRejections.DeviceNotFound;
import dev.intunelock.lock.LockRejections.IdempotencyKeyReused;
import dev.intunelock.lock.LockRejections.LockInFlight;
import dev.intunelock.lock.LockRejections.LockNotFound;
import dev.intunelock.lock.LockRejections.PlatformNotLockable;
import dev.intunelock.lock.LockStore.DeviceClaim;

/**
 * Locks devices: records each request, claims the device so that one lock is in flight per device, checks the
 * device against the platform gate, sends Intune's remoteLock, and keeps the record in step with what Intune says.
 */
@ApplicationScoped
public class LockService {

    private static final Logger LOG = Logger.getLogger(LockService.class);

    /** A claim whose lock was never recorded (the writer died between the two writes) is void after this. */
    static final Duration ABANDONED_CLAIM = Duration.ofMinutes(1);
    /** When Graph gave no Retry-After, a pending lock is due again after this. */
    static final Duration RETRY_LATER = Duration.ofMinutes(1);

    private final LockStore store;
    private final Intune intune;
    private final Clock clock;

    LockService(LockStore store, Intune intune, Clock clock) {
        this.store = store;
        this.intune = intune;
        this.clock = clock;
    }

    public record LockResult(Lock lock, boolean replayed) {
    }

    public LockResult requestLock(LockRequest request, String idempotencyKey, String source, Caller caller) {
        String lockId = idempotencyKey == null ? UUID.randomUUID().toString()
                : idempotentLockId(caller, idempotencyKey);
        if (idempotencyKey != null) {
            Optional<Lock> earlier = store.find(lockId);
            if (earlier.isPresent()) {
                return replay(earlier.get(), request);
            }
        }
        claim(request.deviceId(), lockId);
        Lock lock = Lock.requested(lockId, request.deviceId(), source, caller.name(), request.reason(),
                clock.instant());
        if (!store.insert(lock)) {
            // The same Idempotency-Key raced us and won: theirs is the lock.
            return replay(store.find(lockId).orElseThrow(), request);
        }
        LOG.infof("Lock %s recorded for device %s (source %s, by %s)", lockId, lock.deviceId(), source,
                caller.name());
        return new LockResult(send(lock), false);
    }

    public Lock getLock(String lockId) {
        return refreshed(store.find(lockId).orElseThrow(() -> new LockNotFound(lockId)));
    }

    /** One lock in flight per device: claims it for {@code lockId} or names the lock that holds it. */
    private void claim(String deviceId, String lockId) {
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<DeviceClaim> holder = store.claimDevice(deviceId, lockId, clock.instant());
            if (holder.isEmpty()) {
                return;
            }
            if (stillHolds(holder.get())) {
                throw new LockInFlight(deviceId, holder.get().lockId());
            }
        }
        throw new LockInFlight(deviceId, store.claimDevice(deviceId, lockId, clock.instant())
                .map(DeviceClaim::lockId).orElse(lockId));
    }

    /** Whether the claim's lock is really still in flight; lets go of the claim when it is not. */
    private boolean stillHolds(DeviceClaim holder) {
        Optional<Lock> holding = store.find(holder.lockId());
        if (holding.isEmpty()) {
            boolean abandoned = holder.claimedAt().isBefore(clock.instant().minus(ABANDONED_CLAIM));
            if (abandoned) {
                store.releaseDevice(holder.deviceId(), holder.lockId(), clock.instant());
            }
            return !abandoned; // otherwise it is being recorded right now
        }
        Lock current = refreshed(holding.get());
        if (!current.status().inFlight()) {
            store.releaseDevice(holder.deviceId(), holder.lockId(), clock.instant());
            return false;
        }
        return true;
    }

    private Lock send(Lock lock) {
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
        Lock sent = described.sent(sending);
        LOG.infof("Lock %s sent to Intune for device %s (%s)", sent.lockId(), sent.deviceId(), sent.platform());
        return saved(sent, LockStatus.PENDING);
    }

    /** Graph did not take it this time: the lock stays pending, with the error, for the retry sweep. */
    private Lock keepPending(Lock lock, GraphFailure failure) {
        LOG.warnf("Lock %s still pending: Graph %s %s (request-id %s)", lock.lockId(), failure.httpStatus(),
                failure.code(), failure.requestId());
        Duration wait = failure.retryAfterSeconds() == null ? RETRY_LATER
                : Duration.ofSeconds(Math.max(failure.retryAfterSeconds(), 1));
        return saved(lock.notTaken(error(failure), clock.instant().plus(wait)), LockStatus.PENDING);
    }

    /** Brings a sent lock up to date with Intune's report of its remoteLock action, when Intune has one. */
    private Lock refreshed(Lock lock) {
        if (lock.status() != LockStatus.SENT) {
            return lock;
        }
        Optional<DeviceActionResult> report;
        try {
            report = intune.findDevice(lock.deviceId())
                    .flatMap(device -> IntuneLockReport.forLockSentAt(lock.sentAt(), device.actionResults()));
        } catch (GraphException unavailable) {
            LOG.debugf("Could not refresh lock %s: %s", lock.lockId(), unavailable.failure().code());
            return lock;
        }
        return report.flatMap(result -> IntuneLockReport.settledStatus(result).map(status -> finish(
                lock.withStatus(status, status == LockStatus.FAILED
                        ? error("action" + capitalized(result.actionState()),
                                "Intune reports the remoteLock action as " + result.actionState() + ".", null)
                        : null),
                LockStatus.SENT)))
                .orElse(lock);
    }

    /** Stores a lock's final state and lets go of its device. */
    private Lock finish(Lock lock, LockStatus expected) {
        Lock stored = saved(lock, expected);
        if (!stored.status().inFlight()) {
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

    private LockResult replay(Lock earlier, LockRequest request) {
        if (!earlier.deviceId().equals(request.deviceId())) {
            throw new IdempotencyKeyReused(earlier);
        }
        return new LockResult(refreshed(earlier), true);
    }

    private LockError error(GraphFailure failure) {
        return new LockError(failure.code(), failure.message(), failure.requestId(), failure.httpStatus(),
                clock.instant());
    }

    private LockError error(String code, String message, String requestId) {
        return new LockError(code, message, requestId, 0, clock.instant());
    }

    private static String capitalized(String text) {
        return text == null || text.isEmpty() ? "" : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    static String idempotentLockId(Caller caller, String idempotencyKey) {
        return UUID.nameUUIDFromBytes(("lock\n" + caller.name() + "\n" + idempotencyKey)
                .getBytes(StandardCharsets.UTF_8)).toString();
    }
}
