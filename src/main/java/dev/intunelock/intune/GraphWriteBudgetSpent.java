package dev.intunelock.intune;

/**
 * The shared Graph write budget has no place left in this slot (or Graph asked everyone to wait): the command was
 * not sent, certainly; it may be tried again after {@code Retry-After}, like a 429 of our own.
 */
public final class GraphWriteBudgetSpent extends GraphUnavailableException {

    GraphWriteBudgetSpent(long waitSeconds) {
        super(new GraphFailure(0, "graphWriteBudgetSpent", "The Graph write budget shared by every instance of the "
                + "function is spent for this moment; the command was not sent.", null, waitSeconds, false), null);
    }
}
