package dev.intunelock.intune;

/** Graph could not be reached or is throttling/overloaded (429, 5xx, timeouts): the same call may work later. */
public final class GraphUnavailableException extends GraphException {

    public GraphUnavailableException(GraphFailure failure, Throwable cause) {
        super(failure, cause);
    }

    /**
     * 429 and 503 mean Graph did not act on the request, so the lock command may be sent again. A 504 does not:
     * the gateway gave up waiting, but Intune may have queued the command, and a second lock makes a Mac's first
     * recovery PIN useless. Reads are retried on 504 too (see {@link RetryPolicies}).
     */
    public boolean notActedOn() {
        int status = failure().httpStatus();
        return status == 429 || status == 503;
    }
}
