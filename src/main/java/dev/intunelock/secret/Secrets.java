package dev.intunelock.secret;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Secret values, read from Secrets Manager at first use (never at start-up) and kept in memory. A rotated secret is
 * noticed when the old value stops working: whoever saw it rejected asks for {@link #rotated} and tries again with
 * what Secrets Manager holds now. Re-reads are spaced {@link #REREAD_AFTER} apart, so that callers presenting a wrong
 * secret cannot make the function hammer Secrets Manager.
 */
@ApplicationScoped
public class Secrets {

    private static final Logger LOG = Logger.getLogger(Secrets.class);
    static final Duration REREAD_AFTER = Duration.ofSeconds(30);

    private record Read(String value, Instant at) {
        @Override
        public String toString() {
            return "Read[at " + at + "]";
        }
    }

    private final Map<String, Read> cache = new ConcurrentHashMap<>();
    private final SecretsManagerClient secretsManager;
    private final Clock clock;

    Secrets(SecretsManagerClient secretsManager, Clock clock) {
        this.secretsManager = secretsManager;
        this.clock = clock;
    }

    /** The secret's value: the plain one, or the one read from Secrets Manager (read once, then kept). */
    public String current(ConfiguredSecret secret) {
        if (secret.secretId().isEmpty()) {
            return secret.plainValue().orElseThrow(() -> new SecretUnavailable(secret.variable() + "_ID (or, for local "
                    + "runs, " + secret.variable() + ") is not set", null));
        }
        String id = secret.secretId().get();
        Read read = cache.get(id);
        return read != null ? read.value() : fetch(secret, id).value();
    }

    /**
     * After the current value was rejected: the value Secrets Manager holds now, if it differs from the one that was
     * rejected (a plain value never changes; a secret read less than {@link #REREAD_AFTER} ago is not read again).
     */
    public Optional<String> rotated(ConfiguredSecret secret) {
        if (secret.secretId().isEmpty()) {
            return Optional.empty();
        }
        String id = secret.secretId().get();
        Read before = cache.get(id);
        if (before != null && clock.instant().isBefore(before.at().plus(REREAD_AFTER))) {
            return Optional.empty();
        }
        Read now = fetch(secret, id);
        if (before != null && before.value().equals(now.value())) {
            return Optional.empty();
        }
        LOG.infof("%s: a new value of secret %s is in use", secret.variable(), id);
        return Optional.of(now.value());
    }

    private Read fetch(ConfiguredSecret secret, String id) {
        try {
            String value = secretsManager.getSecretValue(r -> r.secretId(id)).secretString();
            if (value == null || value.isBlank()) {
                throw new SecretUnavailable("Secret " + id + " (" + secret.variable() + "_ID) has no string value",
                        null);
            }
            Read read = new Read(value.trim(), clock.instant());
            cache.put(id, read);
            return read;
        } catch (SdkException failure) {
            throw new SecretUnavailable("Secret " + id + " (" + secret.variable() + "_ID) could not be read: "
                    + failure.getClass().getSimpleName(), failure);
        }
    }
}
