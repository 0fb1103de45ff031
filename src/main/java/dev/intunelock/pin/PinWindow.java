package dev.intunelock.pin;

import java.time.Instant;

/**
 * The 30-day PIN window: Intune keeps a Mac's recovery PIN for 30 days after the lock command is sent, and so do
 * we, exactly: the window runs from the send time for 2,592,000 s, so {@code expiresAt − lockedAt} reads exactly that
 * in every answer. The PIN is served before {@code expiresAt} and refused from it on. DynamoDB's TTL (whole epoch
 * seconds, never later than {@code expiresAt}) deletes the item late, or on a local server never, so every read
 * decides expiry here, not by whether the item still exists.
 */
public final class PinWindow {

    public static final long SECONDS = 30L * 24 * 60 * 60; // 2,592,000

    private PinWindow() {
    }

    public static Instant expiresAt(Instant sentAt) {
        return sentAt.plusSeconds(SECONDS);
    }

    /** Epoch seconds at which the item may go: the value of its TTL attribute, the expiry rounded down. */
    public static long ttlEpochSeconds(Instant sentAt) {
        return expiresAt(sentAt).getEpochSecond();
    }

    public static boolean isOpen(Instant expiresAt, Instant now) {
        return now.isBefore(expiresAt);
    }
}
