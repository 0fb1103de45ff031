package dev.intunelock.pin;

import java.time.Instant;

/**
 * The 30-day PIN window: Intune keeps a Mac's recovery PIN for 30 days after the lock command is sent, and so do
 * we, exactly. The window runs from the send time (whole seconds) for 2,592,000 s; the PIN is served up to
 * {@code expiresAt − 1 s} and refused from {@code expiresAt} on. DynamoDB's TTL deletes the item late (or, on a
 * local server, never), so every read decides expiry here, not by whether the item still exists.
 */
public final class PinWindow {

    public static final long SECONDS = 30L * 24 * 60 * 60; // 2,592,000

    private PinWindow() {
    }

    /** Epoch seconds at which the PIN expires: the value of the item's TTL attribute. */
    public static long ttlEpochSeconds(Instant sentAt) {
        return sentAt.getEpochSecond() + SECONDS;
    }

    public static Instant expiresAt(Instant sentAt) {
        return Instant.ofEpochSecond(ttlEpochSeconds(sentAt));
    }

    public static boolean isOpen(Instant expiresAt, Instant now) {
        return now.isBefore(expiresAt);
    }
}
