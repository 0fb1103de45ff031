package dev.intunelock.intune;

/** Graph could not be reached or is throttling/overloaded (429, 5xx, timeouts): the same call may work later. */
public final class GraphUnavailableException extends GraphException {

    public GraphUnavailableException(GraphFailure failure, Throwable cause) {
        super(failure, cause);
    }

    /** 429, 503 and 504 mean Graph did not act on the request, so it is safe to send it again. */
    public boolean notActedOn() {
        int status = failure().httpStatus();
        return status == 429 || status == 503 || status == 504;
    }
}
