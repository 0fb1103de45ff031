package dev.intunelock.secret;

import java.util.Optional;

/**
 * A secret as the function is configured with it: in AWS, the name or ARN of a Secrets Manager secret
 * ({@code <VARIABLE>_ID}); in local runs and tests, the plain value ({@code <VARIABLE>}), which template.yaml never
 * sets. {@code variable} names the setting in messages, never the value.
 */
public record ConfiguredSecret(String variable, Optional<String> secretId, Optional<String> plainValue) {

    public static ConfiguredSecret of(String variable, Optional<String> secretId, Optional<String> plainValue) {
        return new ConfiguredSecret(variable, secretId.map(String::trim).filter(id -> !id.isEmpty()),
                plainValue.filter(value -> !value.isBlank()));
    }

    public boolean isSet() {
        return secretId.isPresent() || plainValue.isPresent();
    }

    @Override
    public String toString() {
        return "ConfiguredSecret[" + variable + secretId.map(id -> ", Secrets Manager " + id).orElse(", plain") + "]";
    }
}
