package dev.intunelock.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Proof that a delivery comes from the configured sender, checked over the raw bytes before anything is parsed.
 * Any configured secret may match (rotation). Signed timestamps older or newer than the tolerance are refused.
 */
final class SenderProof {

    static final Duration TOLERANCE = Duration.ofSeconds(300);

    private SenderProof() {
    }

    /** {@code headers} has lower-case names. */
    static boolean authentic(WebhookSource source, java.util.Map<String, String> headers, byte[] body, Instant now) {
        return switch (source.format()) {
            case GENERIC -> stripeStyle(source, headers.get("x-signature-256"), body, now);
            case GRAFANA -> grafana(source, headers, body, now);
            case ALERTMANAGER -> bearer(source, headers.get("authorization"));
            case PAGERDUTY -> anyV1(source, headers.get("x-pagerduty-signature"), body);
        };
    }

    /** {@code t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>}, with one or more {@code v1}. */
    private static boolean stripeStyle(WebhookSource source, String header, byte[] body, Instant now) {
        if (header == null) {
            return false;
        }
        String timestamp = null;
        List<String> signatures = new ArrayList<>();
        for (String part : header.split(",")) {
            String[] pair = part.trim().split("=", 2);
            if (pair.length == 2 && pair[0].equals("t")) {
                timestamp = pair[1];
            } else if (pair.length == 2 && pair[0].equals("v1")) {
                signatures.add(pair[1]);
            }
        }
        if (timestamp == null || !fresh(timestamp, now)) {
            return false;
        }
        return matchesAny(source, signatures, Hmac.utf8(timestamp + "."), body);
    }

    /** Hex HMAC-SHA256 of the body, or of {@code <timestamp>:<body>} when a timestamp header is configured. */
    private static boolean grafana(WebhookSource source, java.util.Map<String, String> headers, byte[] body,
            Instant now) {
        String signature = headers.get("x-grafana-alerting-signature");
        if (signature == null) {
            return false;
        }
        if (source.timestampHeader().isEmpty()) {
            return matchesAny(source, List.of(signature), body);
        }
        String timestamp = headers.get(source.timestampHeader().get().toLowerCase(java.util.Locale.ROOT));
        return timestamp != null && fresh(timestamp, now)
                && matchesAny(source, List.of(signature), Hmac.utf8(timestamp + ":"), body);
    }

    /** {@code v1=<hex HMAC-SHA256(secret, body)>}, possibly several, comma-separated. */
    private static boolean anyV1(WebhookSource source, String header, byte[] body) {
        if (header == null) {
            return false;
        }
        List<String> signatures = new ArrayList<>();
        for (String part : header.split(",")) {
            String trimmed = part.trim();
            if (trimmed.startsWith("v1=")) {
                signatures.add(trimmed.substring(3));
            }
        }
        return matchesAny(source, signatures, body);
    }

    /** Alertmanager does not sign: its http_config sends {@code Authorization: Bearer <secret>}. */
    private static boolean bearer(WebhookSource source, String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        String presented = authorization.substring(7).trim();
        boolean match = false;
        for (String secret : source.current()) {
            match |= Hmac.sameSecret(secret, presented);
        }
        return match;
    }

    private static boolean matchesAny(WebhookSource source, List<String> signatures, byte[]... signed) {
        boolean match = false;
        for (String secret : source.current()) {
            String expected = Hmac.sha256Hex(secret, signed);
            for (String signature : signatures) {
                match |= Hmac.sameHex(expected, signature);
            }
        }
        return match;
    }

    private static boolean fresh(String unixSeconds, Instant now) {
        try {
            Instant signedAt = Instant.ofEpochSecond(Long.parseLong(unixSeconds.trim()));
            return Duration.between(signedAt, now).abs().compareTo(TOLERANCE) <= 0;
        } catch (NumberFormatException | java.time.DateTimeException malformed) {
            return false;
        }
    }
}
