package dev.intunelock.intune;

/**
 * The shared Graph write budget has no moment to give soon enough (or Graph asked everyone to wait): the command was
 * not sent, certainly; it may be tried again after {@code Retry-After}, like a 429 of our own.
 */
public final class GraphWriteBudgetSpent extends GraphUnavailableException {

    private final long waitMillis;

    /** Spent until {@code wait} from now: a place may be had then (its Retry-After is that, in whole seconds). */
    GraphWriteBudgetSpent(java.time.Duration wait) {
        super(new GraphFailure(0, "graphWriteBudgetSpent", "The Graph write budget shared by every instance of the "
                + "function is spent for this moment; the command was not sent.", null,
                Math.max(1, (wait.toMillis() + 999) / 1000), false), null);
        this.waitMillis = Math.max(1, wait.toMillis());
    }

    /** The wait to the moment a place may be had, to the millisecond (a retry need not round it up). */
    long waitMillis() {
        return waitMillis;
    }
}
