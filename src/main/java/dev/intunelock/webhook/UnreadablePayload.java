package dev.intunelock.webhook;

/** The delivery is authentic but its payload is not the sender's documented shape. */
public class UnreadablePayload extends RuntimeException {

    public UnreadablePayload(String message) {
        super(message);
    }
}
