package dev.intunelock.webhook;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.intunelock.secret.Secrets;

/**
 * Checks a delivery's sender proof against the source's shared secrets as they stand: read from Secrets Manager at the
 * source's first delivery and kept; when a proof matches none of them, the secret may have been rotated, so it is
 * read again (at most every 30 s) and the proof checked once more.
 */
@ApplicationScoped
class SourceSecrets {

    private final Secrets secrets;

    SourceSecrets(Secrets secrets) {
        this.secrets = secrets;
    }

    boolean proven(WebhookSource source, Map<String, String> headers, byte[] body, Instant now) {
        List<String> current = WebhookSource.values(secrets.current(source.secrets()));
        if (SenderProof.authentic(source.using(current), headers, body, now)) {
            return true;
        }
        return secrets.rotated(source.secrets())
                .map(rotated -> SenderProof.authentic(source.using(WebhookSource.values(rotated)), headers, body, now))
                .orElse(false);
    }
}
