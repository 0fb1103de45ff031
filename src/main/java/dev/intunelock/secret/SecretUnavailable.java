package dev.intunelock.secret;

/** A secret could not be read (Secrets Manager unreachable or refusing, or the secret not configured). */
public class SecretUnavailable extends RuntimeException {

    public SecretUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
