package dev.intunelock.batch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.intunelock.intune.DeviceProperty;
import dev.intunelock.intune.GraphException;
import dev.intunelock.intune.Intune;
import dev.intunelock.intune.IntuneDevice;
import dev.intunelock.lock.Lock;
import dev.intunelock.lock.LockRejections.DeviceNotFound;
import dev.intunelock.lock.LockRejections.LockInFlight;
import dev.intunelock.lock.LockRejections.MacPinOutstanding;
import dev.intunelock.lock.LockRejections.PlatformNotLockable;
import dev.intunelock.lock.LockRequest;
import dev.intunelock.lock.LockService;
import dev.intunelock.lock.LockStatus;
import dev.intunelock.lock.PlatformGate;
import dev.intunelock.pin.PinService;

/**
 * One device of a batch, taken from the work queue: it gets an ordinary lock (the same platform gate, re-lock guard,
 * one command per device and PIN capture as any other lock, its source naming the batch), or joins the lock already
 * in flight for it, or is refused with the reason. A device whose lock Intune has not taken yet comes back when its
 * lock is due again; the lock's own attempts pace themselves by the shared Graph write budget.
 */
@ApplicationScoped
class BatchWork {

    private static final Logger LOG = Logger.getLogger(BatchWork.class);
    /** Before a device whose lock is waiting comes back, at least this long. */
    static final Duration SHORTEST_RETURN = Duration.ofSeconds(1);
    /** When Intune could not even be asked about the device. */
    static final Duration ASK_AGAIN = Duration.ofSeconds(30);

    /** A device's new state, and when its lock is due again (null when it has no lock waiting). */
    private record Step(BatchDevice device, Instant lockDue) {
        static Step to(BatchDevice device) {
            return new Step(device, null);
        }
    }

    private final BatchStore store;
    private final LockService locks;
    private final PinService pins;
    private final Intune intune;
    private final Clock clock;

    BatchWork(BatchStore store, LockService locks, PinService pins, Intune intune, Clock clock) {
        this.store = store;
        this.locks = locks;
        this.pins = pins;
        this.intune = intune;
        this.clock = clock;
    }

    /**
     * The batches one invocation has read. What work reads of a batch (its options, reason and requester) is fixed
     * when it is made, so an invocation handed several devices of one batch reads it once.
     */
    static final class BatchesRead {
        private final Map<String, LockBatch> read = new HashMap<>();
    }

    /**
     * Works on the device named {@code key} of the batch; empty when its part is over, else when to come back.
     */
    Optional<Duration> work(String batchId, String key, Instant deadline, BatchesRead batches) {
        // A batch is recorded before any of its devices, and a device before its work is queued.
        Optional<BatchDevice> device = store.device(batchId, key);
        Optional<LockBatch> batch = device.isEmpty() ? Optional.empty()
                : Optional.ofNullable(batches.read.computeIfAbsent(batchId, id -> store.find(id).orElse(null)));
        if (batch.isEmpty()) {
            LOG.warnf("Queued work for %s of batch %s names no recorded batch; dropped", key, batchId);
            return Optional.empty();
        }
        if (device.get().state().settled()) {
            return Optional.empty(); // delivered again after it was done
        }
        Step next;
        try {
            next = advance(batch.get(), device.get(), deadline);
        } catch (GraphException unavailable) {
            LOG.infof("Batch %s, %s: Intune could not be asked (%s); tried again later", batchId, key,
                    unavailable.failure().code());
            return Optional.of(ASK_AGAIN);
        }
        store.save(next.device());
        if (next.device().state().settled()) {
            return Optional.empty();
        }
        return Optional.of(comeBack(next.lockDue()));
    }

    private Step advance(LockBatch batch, BatchDevice device, Instant deadline) {
        if (device.lockId() != null) {
            return locks.retriedIfDue(device.lockId(), deadline)
                    .map(current -> following(device, current, device.code(), device.message()))
                    .orElse(Step.to(device));
        }
        BatchDevice named = device;
        if (named.deviceId() == null) {
            List<IntuneDevice> matches = intune.findDevicesWhere(DeviceProperty.SERIAL_NUMBER, named.serialNumber(),
                    1);
            if (matches.size() != 1) {
                return Step.to(refused(named, matches.isEmpty() ? "deviceNotFound" : "ambiguousSerialNumber",
                        matches.isEmpty() ? "Intune has no managed device with this serial number."
                                : matches.size() + " Intune devices have this serial number; none was locked."));
            }
            named = described(named.matched(matches.get(0).id()), matches.get(0));
        }
        if (named.platform() == null && (batch.dryRun() || !batch.platforms().containsAll(LockBatchRequest.LOCKABLE))) {
            Optional<IntuneDevice> found = intune.findDevice(named.deviceId());
            if (found.isEmpty()) {
                return Step.to(refused(named, "deviceNotFound", "Intune has no managed device with this id."));
            }
            named = described(named, found.get());
        }
        if (named.platform() != null && LockBatchRequest.LOCKABLE.contains(named.platform())
                && !batch.platforms().contains(named.platform())) {
            return Step.to(named.now(DeviceState.SKIPPED, null, null, "platformFiltered", "A " + named.platform()
                    + " device; the batch locks only " + batch.platforms() + ".", clock.instant()));
        }
        return batch.dryRun() ? Step.to(preview(named)) : lock(batch, named, deadline);
    }

    private Step lock(LockBatch batch, BatchDevice device, Instant deadline) {
        try {
            Lock lock = locks.requestLock(LockRequest.validated(new LockRequest(device.deviceId(), batch.reason(),
                    false), null), "batch-" + batch.batchId() + "-" + device.deviceId(), batch.lockSource(),
                    batch.requester(), deadline).lock();
            return following(device, lock, null, null);
        } catch (LockInFlight inFlight) {
            String joined = "Joined lock " + inFlight.lockId() + ", already in flight for this device; nothing "
                    + "more is sent.";
            return locks.recorded(inFlight.lockId()).map(lock -> following(device, lock, "joinedLockInFlight", joined))
                    .orElseGet(() -> Step.to(device.now(DeviceState.LOCKING, inFlight.lockId(), null,
                            "joinedLockInFlight", joined, clock.instant())));
        } catch (MacPinOutstanding outstanding) {
            return Step.to(refused(device, "macPinOutstanding", "This Mac is locked (lock "
                    + outstanding.lock().lockId() + ") and its recovery PIN has not been used yet; locking it again "
                    + "would make that PIN useless."));
        } catch (PlatformNotLockable refused) {
            return Step.to(described(device, refused).now(DeviceState.REFUSED, null, null, "platformNotSupported",
                    refused.getMessage(), clock.instant()));
        } catch (DeviceNotFound gone) {
            return Step.to(refused(device, "deviceNotFound", "Intune has no managed device with this id."));
        }
    }

    /** A dry run: what {@link #lock} would do, from the same rules, sending nothing. */
    private BatchDevice preview(BatchDevice device) {
        if (!LockBatchRequest.LOCKABLE.contains(device.platform())) {
            return refused(device, "platformNotSupported", "The platform gate: Intune does not support Remote lock on "
                    + "this device (" + device.platform() + "); it would be refused.");
        }
        if (device.platform().hasRecoveryPin()
                && pins.latest(device.deviceId()).filter(pins::guardBlocks).isPresent()) {
            return refused(device, "macPinOutstanding", "This Mac is locked and its recovery PIN has not been used "
                    + "yet; it would not be locked again.");
        }
        Optional<Lock> inFlight = locks.latestLock(device.deviceId()).filter(lock -> lock.status().inFlight());
        if (inFlight.isPresent()) {
            return device.now(DeviceState.WOULD_LOCK, inFlight.get().lockId(), inFlight.get().status().name(),
                    "wouldJoinLockInFlight", "Would join lock " + inFlight.get().lockId()
                            + ", already in flight for this device.", clock.instant());
        }
        return device.now(DeviceState.WOULD_LOCK, null, null, null, null, clock.instant());
    }

    /** The device's state from its lock's, and when the lock is due again. */
    private Step following(BatchDevice device, Lock lock, String code, String message) {
        BatchDevice named = lock.platform() == null ? device : device.described(lock.deviceName(), lock.platform());
        LockStatus status = lock.status();
        BatchDevice next = switch (status) {
            case PENDING -> named.now(DeviceState.LOCKING, lock.lockId(), status.name(), code, message,
                    clock.instant());
            case SENT, DONE -> named.now(DeviceState.SENT, lock.lockId(), status.name(), code, message,
                    clock.instant());
            case REJECTED -> named.now(DeviceState.REFUSED, lock.lockId(), status.name(), errorCode(lock, code),
                    errorMessage(lock, message), clock.instant());
            case FAILED, UNCONFIRMED -> named.now(DeviceState.FAILED, lock.lockId(), status.name(),
                    errorCode(lock, code), errorMessage(lock, message), clock.instant());
        };
        return new Step(next, lock.nextAttemptAt());
    }

    /** Until the device's lock is due again, at least {@link #SHORTEST_RETURN}. */
    private Duration comeBack(Instant lockDue) {
        Duration wait = lockDue == null ? SHORTEST_RETURN : Duration.between(clock.instant(), lockDue);
        return wait.compareTo(SHORTEST_RETURN) < 0 ? SHORTEST_RETURN : wait;
    }

    private BatchDevice refused(BatchDevice device, String code, String message) {
        return device.now(DeviceState.REFUSED, device.lockId(), null, code, message, clock.instant());
    }

    private static BatchDevice described(BatchDevice device, IntuneDevice found) {
        return device.described(found.deviceName(), PlatformGate.check(found.deviceType()).platform());
    }

    private static BatchDevice described(BatchDevice device, PlatformNotLockable refused) {
        Lock lock = refused.lock();
        return lock == null ? device : device.described(lock.deviceName(), lock.platform());
    }

    private static String errorCode(Lock lock, String code) {
        return lock.lastError() != null ? lock.lastError().code() : code;
    }

    private static String errorMessage(Lock lock, String message) {
        return lock.lastError() != null ? lock.lastError().message() : message;
    }
}
