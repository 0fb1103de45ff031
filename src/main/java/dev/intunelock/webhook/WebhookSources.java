package dev.intunelock.webhook;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.Config;

/**
 * The configured senders, read on first use. {@code WEBHOOK_SOURCES=siem,grafana} names them; each has
 * {@code WEBHOOK_<NAME>_FORMAT}, {@code WEBHOOK_<NAME>_SECRETS} (comma-separated; in AWS from Secrets Manager),
 * and optionally {@code _TIMESTAMP_HEADER}, {@code _MIN_SEVERITY} and {@code _DEVICE_ID_FIELD},
 * {@code _AZURE_AD_DEVICE_ID_FIELD}, {@code _SERIAL_NUMBER_FIELD}, {@code _DEVICE_NAME_FIELD}.
 */
@ApplicationScoped
public class WebhookSources {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private final Config config;
    private final Map<String, Optional<WebhookSource>> sources = new ConcurrentHashMap<>();

    WebhookSources(Config config) {
        this.config = config;
    }

    Optional<WebhookSource> named(String name) {
        if (name == null || !NAME.matcher(name).matches() || !configuredNames().contains(name)) {
            return Optional.empty();
        }
        return sources.computeIfAbsent(name, this::load);
    }

    private List<String> configuredNames() {
        return config.getOptionalValues("webhook.sources", String.class).orElse(List.of()).stream()
                .map(String::trim).toList();
    }

    private Optional<WebhookSource> load(String name) {
        String prefix = "webhook." + name + ".";
        List<String> secrets = config.getOptionalValues(prefix + "secrets", String.class).orElse(List.of())
                .stream().map(String::trim).filter(secret -> !secret.isEmpty()).toList();
        Optional<String> format = config.getOptionalValue(prefix + "format", String.class);
        if (secrets.isEmpty() || format.isEmpty()) {
            return Optional.empty(); // a source without secrets can authenticate nobody
        }
        return Optional.of(new WebhookSource(name, WebhookFormat.named(format.get()), secrets,
                config.getOptionalValue(prefix + "timestamp-header", String.class),
                config.getOptionalValue(prefix + "min-severity", String.class).flatMap(Severity::named),
                new WebhookSource.DeviceFields(
                        field(prefix + "device-id-field", "intune_device_id"),
                        field(prefix + "azure-ad-device-id-field", "azure_ad_device_id"),
                        field(prefix + "serial-number-field", "serial_number"),
                        field(prefix + "device-name-field", "device_name"))));
    }

    private String field(String key, String fallback) {
        return config.getOptionalValue(key, String.class).orElse(fallback);
    }
}
