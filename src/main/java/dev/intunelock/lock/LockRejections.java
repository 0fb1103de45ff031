package dev.intunelock.lock;

import java.util.List;

import dev.intunelock.pin.PinSummary;

/** Why a lock request was not taken; the web layer turns each into its problem response. */
public final class LockRejections {

    private LockRejections() {
    }

    /** Intune has no managed device with that id. The request is recorded as {@code REJECTED}. */
    public static final class DeviceNotFound extends RuntimeException {
        private final Lock lock;

        public DeviceNotFound(Lock lock) {
            super("Intune has no managed device " + lock.deviceId());
            this.lock = lock;
        }

        public Lock lock() {
            return lock;
        }
    }

    /** The platform gate refused the device. The request is recorded as {@code REJECTED}. */
    public static final class PlatformNotLockable extends RuntimeException {
        private final Lock lock;

        public PlatformNotLockable(Lock lock, String reason) {
            super(reason);
            this.lock = lock;
        }

        public Lock lock() {
            return lock;
        }
    }

    /** Another lock for the same device has not finished; a second command would only repeat (or, on a Mac, harm) it. */
    public static final class LockInFlight extends RuntimeException {
        private final String deviceId;
        private final String lockId;

        public LockInFlight(String deviceId, String lockId) {
            super("Lock " + lockId + " for device " + deviceId + " is still in flight");
            this.deviceId = deviceId;
            this.lockId = lockId;
        }

        public String deviceId() {
            return deviceId;
        }

        public String lockId() {
            return lockId;
        }
    }

    /** The re-lock guard: the Mac's last lock has a recovery PIN that has not been used yet. */
    public static final class MacPinOutstanding extends RuntimeException {
        private final Lock lock;
        private final PinSummary pin;

        public MacPinOutstanding(Lock lock, PinSummary pin) {
            super("Mac " + lock.deviceId() + " has an unused recovery PIN from lock " + lock.lockId());
            this.lock = lock;
            this.pin = pin;
        }

        public Lock lock() {
            return lock;
        }

        public PinSummary pin() {
            return pin;
        }
    }

    /** {@code force} was asked for by a caller without the Locks.Admin role. */
    public static final class ForceNotAllowed extends RuntimeException {
        public ForceNotAllowed() {
            super("Forcing a lock needs the Locks.Admin role");
        }
    }

    public static final class LockNotFound extends RuntimeException {
        public LockNotFound(String lockId) {
            super("No lock " + lockId);
        }
    }

    /** The caller used the same Idempotency-Key for a different request. */
    public static final class IdempotencyKeyReused extends RuntimeException {
        private final Lock original;

        public IdempotencyKeyReused(Lock original) {
            super("This Idempotency-Key was already used for lock " + original.lockId() + " of another device");
            this.original = original;
        }

        public Lock original() {
            return original;
        }
    }
}
