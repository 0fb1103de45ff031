package dev.intunelock.intune;

/** Graph did not do what was asked. */
public abstract sealed class GraphException extends RuntimeException
        permits GraphUnavailableException, GraphRejectedException {

    private final GraphFailure failure;

    protected GraphException(GraphFailure failure, Throwable cause) {
        super("Graph " + (failure.httpStatus() == 0 ? "gave no answer" : "answered " + failure.httpStatus())
                + ": " + failure.code(), cause);
        this.failure = failure;
    }

    public GraphFailure failure() {
        return failure;
    }
}
