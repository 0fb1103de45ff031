package dev.intunelock.selfservice;

import java.time.Duration;
import java.time.Instant;

/** Why a self-service request was refused; {@link SelfServiceProblems} turns each into its problem response. */
final class SelfServiceRejections {

    private SelfServiceRejections() {
    }

    /** The ownership rule: the device is registered to someone else (or to nobody). */
    static final class NotYourDevice extends RuntimeException {
        private final String deviceId;

        NotYourDevice(String deviceId) {
            super("Device " + deviceId + " is not registered to the caller");
            this.deviceId = deviceId;
        }

        String deviceId() {
            return deviceId;
        }
    }

    /** Intune has no managed device with this id. */
    static final class UnknownDevice extends RuntimeException {
        private final String deviceId;

        UnknownDevice(String deviceId) {
            super("Intune has no managed device " + deviceId);
            this.deviceId = deviceId;
        }

        String deviceId() {
            return deviceId;
        }
    }

    /** Intune registers more devices to the caller than the page lists. */
    static final class TooManyDevices extends RuntimeException {
        private final int most;

        TooManyDevices(int most) {
            super("More than " + most + " devices registered to the caller");
            this.most = most;
        }

        int most() {
            return most;
        }
    }

    /** The per-user lock limit: this hour's allowance is used up until {@code resetsAt}. */
    static final class LockLimitReached extends RuntimeException {
        private final int limit;
        private final Instant resetsAt;
        private final Duration retryAfter;

        LockLimitReached(int limit, Instant resetsAt, Duration retryAfter) {
            super("Self-service lock limit of " + limit + " per hour reached");
            this.limit = limit;
            this.resetsAt = resetsAt;
            this.retryAfter = retryAfter;
        }

        int limit() {
            return limit;
        }

        Instant resetsAt() {
            return resetsAt;
        }

        Duration retryAfter() {
            return retryAfter;
        }
    }
}
