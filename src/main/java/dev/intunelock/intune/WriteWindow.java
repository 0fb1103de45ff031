package dev.intunelock.intune;

import java.time.Duration;

/**
 * Intune's write limit as a rule over the moments of earlier writes (epoch milliseconds, ascending): at most
 * {@code budget} writes in any window (Intune counts 200 per app and tenant in any 20 s). A write may go out at the
 * earliest moment at which the window ending there holds fewer than {@code budget}; moments are handed out in order,
 * never before one already handed out, so no later window can be overfilled by it.
 *
 * <p>The urgent reserve: bulk writes (batches) leave {@code reserve} places of the window to single locks, except
 * places that free up within {@code release}: a bulk write may go out only if, {@code release} later, the window
 * would hold fewer than {@code budget - reserve}. So a single lock always finds a place within {@code release}, and
 * a batch still gets the whole window, its last places just before they turn over.
 */
record WriteWindow(int budget, Duration window) {

    /**
     * Added to the window: a moment handed out is when the command leaves, and Graph may see two of them a few
     * milliseconds closer together than they were given.
     */
    long marginMillis() {
        return Math.max(50, window.toMillis() / 200);
    }

    /** How long a write counts: the window and the margin. */
    long countsForMillis() {
        return window.toMillis() + marginMillis();
    }

    /** How far ahead of its turn-over a reserved place goes to bulk writes: a quarter of the window (5 s of 20 s). */
    long releaseMillis() {
        return window.toMillis() / 4;
    }

    /** Places of the window kept for single locks: a twentieth (10 of 200), at least one once there are two. */
    int reserve() {
        return budget > 1 ? Math.max(1, budget / 20) : 0;
    }

    /** How far ahead a write may be given its moment (and so wait for it): bulk a second, urgent three (of 20 s). */
    long longestWaitMillis(WritePriority priority) {
        return window.toMillis() * (priority == WritePriority.BULK ? 1 : 3) / 20;
    }

    /** The earliest moment at or after {@code now} a write of {@code priority} may go out. */
    long earliest(long[] moments, long pausedUntil, long now, WritePriority priority) {
        long start = Math.max(now, pausedUntil);
        if (moments.length > 0) {
            start = Math.max(start, moments[moments.length - 1]);
        }
        if (allowed(moments, start, priority)) {
            return start;
        }
        // Whether a moment is allowed changes only where an earlier write leaves the window (or the bulk look-ahead).
        long best = Long.MAX_VALUE;
        long leaves = countsForMillis();
        for (long moment : moments) {
            for (long candidate : new long[] { moment + leaves, moment + leaves - releaseMillis() }) {
                if (candidate > start && candidate < best && allowed(moments, candidate, priority)) {
                    best = candidate;
                }
            }
        }
        return best;
    }

    private boolean allowed(long[] moments, long at, WritePriority priority) {
        long leaves = countsForMillis();
        if (inWindow(moments, at - leaves) >= budget) {
            return false;
        }
        return priority == WritePriority.URGENT
                || inWindow(moments, at + releaseMillis() - leaves) < budget - reserve();
    }

    /** How many moments are after {@code after}. */
    private static int inWindow(long[] moments, long after) {
        int count = 0;
        for (int i = moments.length - 1; i >= 0 && moments[i] > after; i--) {
            count++;
        }
        return count;
    }
}
