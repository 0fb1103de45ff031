package dev.intunelock.webhook;

/** Why a delivery was refused as a whole; the web layer turns each into its problem response. */
public final class WebhookRejections {

    private WebhookRejections() {
    }

    public static final class UnknownSource extends RuntimeException {
        public UnknownSource() {
            super("No such webhook source");
        }
    }

    /** Bad, missing or stale proof of origin. Deliberately says nothing more. */
    public static final class SenderNotAuthenticated extends RuntimeException {
        public SenderNotAuthenticated() {
            super("Sender not authenticated");
        }
    }
}
