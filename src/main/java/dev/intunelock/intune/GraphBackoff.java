package dev.intunelock.intune;

import dev.intunelock.random.FreshRandom;
import io.smallrye.faulttolerance.api.CustomBackoffStrategy;

/**
 * Waits as long as Graph's {@code Retry-After} asks; without one, backs off exponentially from the configured
 * {@code @Retry} delay with full jitter, so that many callers throttled at once do not come back in step.
 * One instance per guarded call.
 */
public class GraphBackoff implements CustomBackoffStrategy {

    static final long MAX_DELAY_MILLIS = 10_000;

    private long baseDelayMillis;
    private int retries;

    @Override
    public void init(long initialDelayInMillis) {
        this.baseDelayMillis = Math.max(1, initialDelayInMillis);
    }

    @Override
    public long nextDelayInMillis(Throwable cause) {
        retries++;
        if (cause instanceof GraphWriteBudgetSpent spent) {
            // To the moment a place may be had, and a little after, so that instances waiting together spread out.
            return Math.min(MAX_DELAY_MILLIS, spent.waitMillis() + FreshRandom.nextLong(0, 60));
        }
        if (cause instanceof GraphException graph && graph.failure().retryAfterSeconds() != null) {
            return Math.min(MAX_DELAY_MILLIS, graph.failure().retryAfterSeconds() * 1000);
        }
        long ceiling = Math.min(MAX_DELAY_MILLIS, baseDelayMillis << Math.min(retries - 1, 10));
        return FreshRandom.nextLong(baseDelayMillis / 2, ceiling + 1);
    }
}
