package dev.intunelock.pin;

/** Where a lock's recovery PIN stands. */
public enum PinStatus {
    /** A Mac lock was sent; Intune has not reported its PIN yet. */
    AWAITING,
    /** We hold the PIN. */
    STORED,
    /** Intune did not (and will not) give us the PIN; the admin center may still show it. */
    UNAVAILABLE,
    /** Someone confirmed the Mac was unlocked with the PIN. */
    USED,
    /** The 30-day window has passed. */
    EXPIRED,
    /** Not a Mac: Intune sets no recovery PIN. */
    NOT_APPLICABLE
}
