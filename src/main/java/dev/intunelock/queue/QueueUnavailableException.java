package dev.intunelock.queue;

/** SQS could not take the work; whoever recorded it puts it there again later. */
public class QueueUnavailableException extends RuntimeException {

    public QueueUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
