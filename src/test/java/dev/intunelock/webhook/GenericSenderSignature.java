package dev.intunelock.webhook;

import java.time.Instant;
import java.util.Map;

/** How a sender of our generic format signs a delivery: {@code X-Signature-256: t=<unix>,v1=<hex>}, like Stripe. */
public final class GenericSenderSignature {

    private GenericSenderSignature() {
    }

    public static Map<String, String> headers(byte[] body, String secret, Instant at) {
        long t = at.getEpochSecond();
        return Map.of("X-Signature-256", "t=" + t + ",v1=" + Hmac.sha256Hex(secret, Hmac.utf8(t + "."), body));
    }
}
