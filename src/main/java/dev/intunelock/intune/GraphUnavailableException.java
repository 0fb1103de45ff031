package dev.intunelock.intune;

/** Graph could not be reached or is throttling/overloaded (429, 5xx, timeouts): the same call may work later. */
public sealed class GraphUnavailableException extends GraphException permits GraphWriteBudgetSpent {

    public GraphUnavailableException(GraphFailure failure, Throwable cause) {
        super(failure, cause);
    }
}
