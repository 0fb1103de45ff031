package dev.intunelock.lock;

/** Where a lock request stands, from our record to Intune's report. */
public enum LockStatus {
    /** Recorded; Intune has not accepted the command yet (it will be retried). */
    PENDING,
    /** Graph accepted the remoteLock command (204). */
    SENT,
    /** Intune reports the remoteLock action done. */
    DONE,
    /** Intune reports the remoteLock action failed, not supported or canceled; or we gave up sending it. */
    FAILED,
    /** Graph refused the command outright; resending the same command will not help. */
    REJECTED,
    /**
     * The command may have reached Intune, but Intune never confirmed it within the bound: it is not sent again.
     * Check the device in the Intune admin center.
     */
    UNCONFIRMED;

    /** While a lock is in flight, no second command is sent to the same device. */
    public boolean inFlight() {
        return this == PENDING || this == SENT;
    }
}
