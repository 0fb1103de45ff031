package dev.intunelock.batch;

/** Where one device of a batch stands. */
enum DeviceState {
    /** Not worked on yet. */
    QUEUED,
    /** Its lock is recorded; Intune has not accepted the command yet (retried at Intune's pace). */
    LOCKING,
    /** Intune accepted the lock command (or had already, for a lock this batch joined). */
    SENT,
    /** Dry run: it would be locked. */
    WOULD_LOCK,
    /** Not of the platforms the batch asked for; nothing sent. */
    SKIPPED,
    /** Refused, by our rules or by Intune, with the reason; nothing (more) sent. */
    REFUSED,
    /** Its lock ended without Intune confirming it (gave up, or unconfirmed); see the lock. */
    FAILED;

    /** Whether this device's part of the batch is over. */
    boolean settled() {
        return this != QUEUED && this != LOCKING;
    }
}
