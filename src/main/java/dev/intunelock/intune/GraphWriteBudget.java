package dev.intunelock.intune;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.intunelock.storage.MomentLog;
import dev.intunelock.storage.MomentLog.Snapshot;
import dev.intunelock.storage.StorageUnavailableException;

/**
 * The Graph write budget: every instance of the function together sends at most {@code graph.writes.per-20s}
 * remoteLock commands in any 20 s (Intune allows 200 per app and tenant; the default 180 leaves room for other
 * callers), by the rule of {@link WriteWindow}. The moments of recent commands are kept in DynamoDB
 * ({@link MomentLog}); each command is given the earliest moment the rule allows, written on top of the log it was
 * computed from, and waits for it. A 429 that Graph still answers after a call's own retries pauses the log until its
 * {@code Retry-After} has passed (at most {@code graph.writes.longest-pause} ahead, a minute), so all instances wait it
 * out. Runs on the wall clock: it paces real calls to Graph.
 */
@ApplicationScoped
public class GraphWriteBudget {

    private static final String LOG_NAME = "GRAPH_WRITES";
    /** How long the log stays in the table after its last write (TTL), for a look at recent pacing. */
    private static final Duration KEPT = Duration.ofHours(1);
    /** Tries to write a moment on top of a log other instances keep changing, before giving up for a moment. */
    private static final int TRIES = 8;
    private static final Logger LOG = Logger.getLogger(GraphWriteBudget.class);

    private final MomentLog log;
    private final WriteWindow rule;
    private final Duration longestPause;
    /** The log as this instance last wrote or read it: usually still current, so a write needs no read first. */
    private volatile Snapshot lastSeen;

    GraphWriteBudget(MomentLog log, @ConfigProperty(name = "graph.writes.per-20s") int perWindow,
            @ConfigProperty(name = "graph.writes.window") Duration window,
            @ConfigProperty(name = "graph.writes.longest-pause") Duration longestPause) {
        this.log = log;
        this.rule = new WriteWindow(perWindow, window);
        this.longestPause = longestPause;
    }

    /** About how long {@code writes} commands take at this budget's pace, with no other writes competing. */
    public Duration timeFor(int writes) {
        return rule.window().multipliedBy(writes).dividedBy(rule.budget());
    }

    /**
     * Takes a moment for one write and waits for it, or throws {@link GraphWriteBudgetSpent} saying how long to wait
     * when the earliest moment is further ahead than a write of this priority may wait in place.
     */
    void take(WritePriority priority) {
        try {
            sleepUntil(book(priority));
        } catch (StorageUnavailableException unavailable) {
            LOG.warnf("The Graph write budget cannot be read (%s); the command is not sent", unavailable.getMessage());
            throw new GraphWriteBudgetSpent(Duration.ofMillis(rule.longestWaitMillis(WritePriority.URGENT)));
        }
    }

    private long book(WritePriority priority) {
        Snapshot seen = lastSeen;
        for (int tries = 0; tries < TRIES; tries++) {
            boolean fresh = seen == null;
            if (fresh) {
                seen = log.read(LOG_NAME);
            }
            long now = System.currentTimeMillis();
            long at = rule.earliest(seen.moments(), seen.pausedUntil(), now, priority);
            long wait = at - now - rule.longestWaitMillis(priority);
            if (wait > 0) {
                if (!fresh) {
                    seen = null; // perhaps only this instance's view is behind
                    continue;
                }
                lastSeen = seen;
                throw new GraphWriteBudgetSpent(Duration.ofMillis(wait));
            }
            long[] moments = appended(seen.moments(), now - rule.countsForMillis(), at);
            if (log.replace(LOG_NAME, seen, moments, Instant.ofEpochMilli(at).plus(KEPT))) {
                lastSeen = new Snapshot(seen.version() + 1, moments, seen.pausedUntil());
                return at;
            }
            seen = null; // another instance wrote first
        }
        lastSeen = null;
        throw new GraphWriteBudgetSpent(Duration.ofMillis(rule.marginMillis()));
    }

    /** The moments still in a window after {@code after}, and {@code at}. */
    private static long[] appended(long[] moments, long after, long at) {
        int first = 0;
        while (first < moments.length && moments[first] <= after) {
            first++;
        }
        long[] kept = Arrays.copyOfRange(moments, first, moments.length + 1);
        kept[kept.length - 1] = at;
        return kept;
    }

    private static void sleepUntil(long at) {
        long wait = at - System.currentTimeMillis();
        if (wait > 0) {
            try {
                Thread.sleep(wait);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new GraphWriteBudgetSpent(Duration.ofMillis(wait));
            }
        }
    }

    /** Graph said 429: no instance writes again before {@code retryAfterSeconds} have passed. */
    void pauseFor(long retryAfterSeconds) {
        Duration pause = Duration.ofSeconds(retryAfterSeconds);
        if (pause.isZero() || pause.isNegative() || longestPause.isZero()) {
            return;
        }
        long until = System.currentTimeMillis() + (pause.compareTo(longestPause) < 0 ? pause : longestPause).toMillis();
        try {
            log.pauseUntil(LOG_NAME, until, Instant.ofEpochMilli(until).plus(KEPT));
            lastSeen = null;
        } catch (StorageUnavailableException unavailable) {
            LOG.warnf("Graph's Retry-After could not be shared with the other instances: %s", unavailable.getMessage());
        }
    }
}
