package dev.intunelock.pin;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

import dev.intunelock.vault.KeyDay;

/**
 * Crypto-shredding of recovery PINs: a PIN is sealed under the data key of its lock's UTC day, and that key is
 * destroyed as soon as the last PIN of that day has expired, at the end of the day + 30 days. Every copy of a PIN
 * (the live item, a table restored from a backup, an export) is therefore undecryptable at most
 * {@link #AFTER_EXPIRY} after its {@code expiresAt} (plus the time to the next retry sweep, which carries it out;
 * from the shred time on, the function itself refuses the key even before the sweep has deleted it).
 */
public final class ShreddingBound {

    public static final Duration AFTER_EXPIRY = Duration.ofDays(1);

    private ShreddingBound() {
    }

    /** The data key a PIN of a lock sent at {@code lockedAt} is sealed under, and when that key is destroyed. */
    public static KeyDay keyOf(Instant lockedAt) {
        LocalDate day = LocalDate.ofInstant(lockedAt, ZoneOffset.UTC);
        Instant lastLockOfTheDay = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        return new KeyDay(day, PinWindow.expiresAt(lastLockOfTheDay));
    }
}
