package dev.intunelock.lock;

import java.time.Clock;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.intunelock.auth.Caller;
import dev.intunelock.lock.LockRejections.MacPinOutstanding;
import dev.intunelock.lock.LockStore.DeviceClaim;
import dev.intunelock.pin.PinRecord;
import dev.intunelock.pin.PinService;

/**
 * One lock in flight per device, and no re-lock of a Mac whose PIN is outstanding: a lock claims its device with a
 * conditional write before anything is sent, and a claim whose holder has ended (after Intune's report was read
 * once more) is taken over.
 */
@ApplicationScoped
class DeviceClaims {

    private static final Logger LOG = Logger.getLogger(DeviceClaims.class);

    private final LockStore store;
    private final PinService pins;
    private final IntuneRefresh refresh;
    private final LockUpdates updates;
    private final Clock clock;

    DeviceClaims(LockStore store, PinService pins, IntuneRefresh refresh, LockUpdates updates, Clock clock) {
        this.store = store;
        this.pins = pins;
        this.refresh = refresh;
        this.updates = updates;
        this.clock = clock;
    }

    /** How a claim went: won (with the Mac lock a forced claim took over, if any), or held by a lock in flight. */
    sealed interface Outcome {
    }

    record Won(Optional<HeldBy> tookOver) implements Outcome {
    }

    record InFlight(String lockId) implements Outcome {
    }

    /**
     * Claims the device for {@code lockId}. Without {@code force}, a Mac whose PIN is outstanding is refused
     * ({@link MacPinOutstanding}); with it, the claim is taken over from the guarded lock, which is returned.
     */
    Outcome claim(String deviceId, String lockId, boolean force, Caller caller) {
        String lastHolder = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<DeviceClaim> holder = store.claimDevice(deviceId, lockId, clock.instant());
            if (holder.isEmpty()) {
                return outstandingPin(deviceId, lockId, force);
            }
            lastHolder = holder.get().lockId();
            Optional<HeldBy> held = heldBy(holder.get());
            if (held.isEmpty()) {
                continue; // it let go: claim again
            }
            HeldBy by = held.get();
            if (by.pin() == null) {
                return new InFlight(by.lock().lockId());
            }
            if (!force) {
                throw new MacPinOutstanding(by.lock(), pins.summary(by.pin()));
            }
            if (store.takeOverClaim(deviceId, by.lock().lockId(), lockId, clock.instant())) {
                LOG.warnf("Lock %s forced by %s over lock %s, whose recovery PIN becomes useless", lockId,
                        caller.name(), by.lock().lockId());
                return new Won(held);
            }
        }
        return new InFlight(lastHolder); // the claim kept changing hands: someone else is locking it
    }

    /** Lets go of a claim taken for a lock that was not recorded after all. */
    void release(String deviceId, String lockId) {
        store.releaseDevice(deviceId, lockId, clock.instant());
    }

    /**
     * The re-lock guard once more, after the claim was won: the device's latest Mac PIN may be outstanding even
     * though its lock let go of the claim (a forced lock that Graph then refused, say). Without {@code force} the
     * claim is given back and the request refused.
     */
    private Outcome outstandingPin(String deviceId, String lockId, boolean force) {
        Optional<PinRecord> outstanding = pins.latest(deviceId)
                .filter(pin -> !pin.lockId().equals(lockId) && pins.guardBlocks(pin));
        if (outstanding.isEmpty()) {
            return new Won(Optional.empty());
        }
        PinRecord pin = outstanding.get();
        Optional<Lock> guarded = store.find(pin.lockId());
        if (guarded.isEmpty() || !force) {
            release(deviceId, lockId);
            if (guarded.isEmpty()) {
                return new InFlight(pin.lockId());
            }
            throw new MacPinOutstanding(guarded.get(), pins.summary(pin));
        }
        return new Won(Optional.of(new HeldBy(guarded.get(), pin)));
    }

    /** What really holds the claim now; lets go of the claim when nothing does. */
    private Optional<HeldBy> heldBy(DeviceClaim holder) {
        Optional<Lock> holding = store.find(holder.lockId());
        if (holding.isEmpty()) {
            if (holder.claimedAt().isAfter(clock.instant().minus(LockBounds.ABANDONED_CLAIM))) {
                // Being recorded right now.
                return Optional.of(new HeldBy(Lock.requested(holder.lockId(), holder.deviceId(), null, null, null, null,
                        holder.claimedAt(), holder.claimedAt().plus(LockBounds.ATTEMPT_LEASE), null), null));
            }
            release(holder.deviceId(), holder.lockId());
            return Optional.empty();
        }
        Optional<HeldBy> held = updates.holding(refresh.refreshed(holding.get()));
        if (held.isEmpty()) {
            release(holder.deviceId(), holder.lockId());
        }
        return held;
    }
}
