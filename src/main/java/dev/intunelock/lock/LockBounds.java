package dev.intunelock.lock;

import java.time.Duration;
import java.time.Instant;

/**
 * How long each stage of a lock's life may last. Every bound ends in a state a person can see and act on, never in
 * a silent second command to a device.
 */
final class LockBounds {

    /** A claim whose lock was never recorded (the writer died between the two writes) is void after this. */
    static final Duration ABANDONED_CLAIM = Duration.ofMinutes(1);
    /** How long one attempt may take (the function's own timeout is 29 s): nobody re-attempts the lock before. */
    static final Duration ATTEMPT_LEASE = Duration.ofMinutes(1);
    /** The Graph work of one lock attempt made in a request ends this long after it began. */
    static final Duration ATTEMPT_BUDGET = Duration.ofSeconds(20);
    /** Without a Retry-After, or while a command's outcome is being checked, the lock is due again after this. */
    static final Duration RETRY_LATER = Duration.ofMinutes(1);
    /** How long a request waits for a Mac's PIN after Graph accepted the lock; the sweep and later reads go on. */
    static final Duration PIN_WAIT = Duration.ofSeconds(4);
    /**
     * A command whose arrival at Intune stays unknown this long (Graph's answer was lost and Intune never listed
     * it, or could not be asked) ends {@link LockStatus#UNCONFIRMED}; it is never sent again.
     */
    static final Duration UNCONFIRMED_AFTER = Duration.ofHours(1);
    /**
     * A lock Intune has not accepted this long after it was requested is given up ({@link LockStatus#FAILED}): a
     * lock that fires days late surprises everyone, and whoever asked can ask again.
     */
    static final Duration GIVE_UP_AFTER = Duration.ofHours(24);
    /**
     * A sent lock of a device without a recovery PIN holds the device this long at most when Intune never settles
     * it; then a new lock may go out (after Intune's report is read once more). A Mac stays under the re-lock guard.
     */
    static final Duration SENT_HOLDS_DEVICE = Duration.ofHours(1);

    private LockBounds() {
    }

    static boolean givenUp(Lock lock, Instant now) {
        return !now.isBefore(lock.requestedAt().plus(GIVE_UP_AFTER));
    }

    static boolean unconfirmedTooLong(Lock lock, Instant now) {
        return lock.unconfirmed() && !now.isBefore(lock.unconfirmedSince().plus(UNCONFIRMED_AFTER));
    }

    static boolean sentHoldsDevice(Lock lock, Instant now) {
        return lock.sentAt() != null && now.isBefore(lock.sentAt().plus(SENT_HOLDS_DEVICE));
    }
}
