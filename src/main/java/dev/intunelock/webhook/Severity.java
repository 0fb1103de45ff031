package dev.intunelock.webhook;

import java.util.Locale;
import java.util.Optional;

/** Alert severities as senders name them, in order; a source may ignore alerts below a minimum. */
enum Severity {
    INFO, LOW, WARNING, HIGH, CRITICAL;

    static Optional<Severity> named(String name) {
        if (name == null) {
            return Optional.empty();
        }
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "info", "informational", "none" -> Optional.of(INFO);
            case "low", "minor" -> Optional.of(LOW);
            case "warning", "warn", "medium", "moderate" -> Optional.of(WARNING);
            case "high", "error", "major" -> Optional.of(HIGH);
            case "critical", "fatal", "emergency", "page" -> Optional.of(CRITICAL);
            default -> Optional.empty();
        };
    }
}
