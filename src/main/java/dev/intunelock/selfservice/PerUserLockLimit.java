package dev.intunelock.selfservice;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.intunelock.auth.Caller;
import dev.intunelock.selfservice.SelfServiceRejections.LockLimitReached;
import dev.intunelock.storage.SlotCounters;

/**
 * The per-user lock limit: each user may make {@code self-service.locks-per-hour} self-service lock attempts per
 * clock hour (refused ones count too, so the limit also caps probing). Counted in DynamoDB, so it holds across
 * Lambda instances. A fixed window: at most twice the limit can fall within an hour that straddles two windows.
 */
@ApplicationScoped
class PerUserLockLimit {

    private static final Logger LOG = Logger.getLogger(PerUserLockLimit.class);
    static final Duration WINDOW = Duration.ofHours(1);

    private final SlotCounters counters;
    private final Clock clock;
    private final int perHour;

    PerUserLockLimit(SlotCounters counters, Clock clock, SelfServiceSettings settings) {
        this.counters = counters;
        this.clock = clock;
        this.perHour = settings.locksPerHour();
    }

    /** Counts one lock attempt by {@code caller}, or refuses it when this hour's allowance is used up. */
    void take(Caller caller) {
        Instant now = clock.instant();
        Instant windowStart = now.truncatedTo(ChronoUnit.HOURS);
        Instant windowEnd = windowStart.plus(WINDOW);
        String user = caller.objectId().toLowerCase(Locale.ROOT); // one allowance per person, whatever their name
        if (!counters.takeIfBelow(counter(user), windowStart, windowEnd, perHour)) {
            LOG.warnf("Self-service lock refused: %s reached the limit of %d per hour", user, perHour);
            throw new LockLimitReached(perHour, windowEnd, Duration.between(now, windowEnd));
        }
    }

    /** The user's counter in the table: one item per user and clock hour, gone (TTL) when the hour ends. */
    static String counter(String objectId) {
        return "SELFSERVICE#" + objectId;
    }
}
