package dev.intunelock.intune;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * The time by which the Graph calls of one piece of work (a lock attempt, a sweep step) must be over. A call is
 * not started, and a failed call is not retried, when its worst case (the wait Graph asked for plus one attempt's
 * timeout) would run past it: the work then ends early and leaves its lock to the next attempt, instead of being
 * cut off by the function's own timeout at an unknown point. Held per thread, since the fault-tolerance retries
 * that consult it run on the caller's thread.
 */
public final class GraphDeadline {

    /** The longest one Graph attempt may take: the {@code @Timeout} of {@link GuardedGraph}. */
    static final Duration ATTEMPT_MAX = Duration.ofMillis(GuardedGraph.ATTEMPT_TIMEOUT_MILLIS);
    /** The back-off assumed when Graph gave no Retry-After ({@link GraphBackoff} stays well below it). */
    private static final Duration BACKOFF_ESTIMATE = Duration.ofSeconds(2);

    private static final ThreadLocal<GraphDeadline> CURRENT = new ThreadLocal<>();

    private final Instant end;
    private final Clock clock;

    private GraphDeadline(Instant end, Clock clock) {
        this.end = end;
        this.clock = clock;
    }

    /** Runs {@code work} with its Graph calls bounded by {@code end} (an enclosing, earlier deadline stays). */
    public static <T> T within(Instant end, Clock clock, Supplier<T> work) {
        GraphDeadline outer = CURRENT.get();
        if (outer != null && outer.end.isBefore(end)) {
            return work.get();
        }
        CURRENT.set(new GraphDeadline(end, clock));
        try {
            return work.get();
        } finally {
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
            }
        }
    }

    /** Whether a Graph call started now would end by {@code end} (and by any deadline already in force). */
    public static boolean leavesTimeForACall(Instant end, Clock clock) {
        return allowsCall() && !clock.instant().plus(ATTEMPT_MAX).isAfter(end);
    }

    /** Whether one more Graph call fits before the deadline (always, outside {@link #within}). */
    public static boolean allowsCall() {
        return fits(Duration.ZERO);
    }

    static boolean allowsRetry(GraphFailure failure) {
        Duration wait = failure == null || failure.retryAfterSeconds() == null ? BACKOFF_ESTIMATE
                : Duration.ofSeconds(failure.retryAfterSeconds());
        return fits(wait);
    }

    private static boolean fits(Duration wait) {
        GraphDeadline deadline = CURRENT.get();
        return deadline == null || !deadline.clock.instant().plus(wait).plus(ATTEMPT_MAX).isAfter(deadline.end);
    }
}
