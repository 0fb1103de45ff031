package dev.intunelock.intune;

/** Graph refused the request (4xx other than 429): sending it again unchanged will not help. */
public final class GraphRejectedException extends GraphException {

    public GraphRejectedException(GraphFailure failure) {
        super(failure, null);
    }

    public boolean notFound() {
        return failure().httpStatus() == 404;
    }
}
