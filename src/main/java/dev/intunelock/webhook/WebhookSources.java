package dev.intunelock.webhook;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.Config;

import dev.intunelock.secret.ConfiguredSecret;
import io.quarkus.runtime.StartupEvent;

/**
 * The configured senders. {@code WEBHOOK_SOURCES=siem,grafana} names them; each has {@code WEBHOOK_<NAME>_FORMAT},
 * {@code WEBHOOK_<NAME>_SECRETS_ID} (in AWS: the Secrets Manager secret holding its comma-separated shared secrets,
 * read at the first delivery) or, for local runs, {@code WEBHOOK_<NAME>_SECRETS}, and optionally
 * {@code _TIMESTAMP_HEADER}, {@code _MIN_SEVERITY}, {@code _COOL_DOWN} (default 15M), {@code _USER_LOCKS} (default 0:
 * alerts naming a user lock nothing), {@code _USER_FIELD} (default {@code user}) and {@code _DEVICE_ID_FIELD},
 * {@code _AZURE_AD_DEVICE_ID_FIELD}, {@code _SERIAL_NUMBER_FIELD}, {@code _DEVICE_NAME_FIELD}. Checked when the function starts (reading configuration
 * only): a listed source that is not usable stops the start with a message naming the variable to fix, rather than
 * failing its first delivery.
 */
@ApplicationScoped
public class WebhookSources {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private final Config config;
    private final Map<String, WebhookSource> sources = new ConcurrentHashMap<>();

    WebhookSources(Config config) {
        this.config = config;
    }

    /** A configured source that cannot be used, naming the variable to fix. */
    static final class MisconfiguredSource extends IllegalStateException {
        MisconfiguredSource(String message) {
            super(message);
        }
    }

    void checkAtStart(@Observes StartupEvent started) {
        List<String> problems = new ArrayList<>();
        for (String name : configuredNames()) {
            try {
                sources.put(name, read(name, config));
            } catch (MisconfiguredSource misconfigured) {
                problems.add(misconfigured.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new MisconfiguredSource("Webhook configuration: " + String.join(" ", problems));
        }
    }

    Optional<WebhookSource> named(String name) {
        if (name == null || !configuredNames().contains(name)) {
            return Optional.empty();
        }
        return Optional.of(sources.computeIfAbsent(name, listed -> read(listed, config)));
    }

    private List<String> configuredNames() {
        return config.getOptionalValues("webhook.sources", String.class).orElse(List.of()).stream()
                .map(String::trim).filter(name -> !name.isEmpty()).toList();
    }

    /** One source as configured; {@link MisconfiguredSource} when it cannot be used. */
    static WebhookSource read(String name, Config config) {
        if (!NAME.matcher(name).matches()) {
            throw new MisconfiguredSource("WEBHOOK_SOURCES lists '" + name + "', which is not a source name "
                    + "(lower-case letters, digits and '-').");
        }
        String prefix = "webhook." + name + ".";
        String variable = WebhookSource.variable(name, "");
        String format = config.getOptionalValue(prefix + "format", String.class)
                .orElseThrow(() -> new MisconfiguredSource(variable + "FORMAT is not set; expected one of "
                        + formats() + "."));
        WebhookFormat known = Arrays.stream(WebhookFormat.values())
                .filter(candidate -> candidate.name().equalsIgnoreCase(format.trim())).findFirst()
                .orElseThrow(() -> new MisconfiguredSource(variable + "FORMAT is '" + format + "'; expected one of "
                        + formats() + "."));
        ConfiguredSecret secrets = ConfiguredSecret.of(variable + "SECRETS",
                config.getOptionalValue(prefix + "secrets-id", String.class),
                config.getOptionalValue(prefix + "secrets", String.class));
        List<String> plain = secrets.plainValue().map(WebhookSource::values).orElse(List.of());
        if (secrets.secretId().isEmpty() && plain.isEmpty()) {
            throw new MisconfiguredSource(variable + "SECRETS_ID (the Secrets Manager secret holding the shared "
                    + "secrets; for local runs, " + variable + "SECRETS) is not set: the source could authenticate "
                    + "nobody.");
        }
        Optional<String> minimum = config.getOptionalValue(prefix + "min-severity", String.class);
        Optional<Severity> minimumSeverity = minimum.flatMap(Severity::named);
        if (minimum.isPresent() && minimumSeverity.isEmpty()) {
            throw new MisconfiguredSource(variable + "MIN_SEVERITY is '" + minimum.get()
                    + "'; expected one of info, low, warning, high, critical.");
        }
        return new WebhookSource(name, known, secrets, plain,
                config.getOptionalValue(prefix + "timestamp-header", String.class), minimumSeverity,
                new WebhookSource.DeviceFields(
                        field(config, prefix + "device-id-field", "intune_device_id"),
                        field(config, prefix + "azure-ad-device-id-field", "azure_ad_device_id"),
                        field(config, prefix + "serial-number-field", "serial_number"),
                        field(config, prefix + "device-name-field", "device_name"),
                        field(config, prefix + "user-field", "user")),
                coolDown(config, prefix + "cool-down", variable + "COOL_DOWN"),
                userLocks(config, prefix + "user-locks", variable + "USER_LOCKS"));
    }

    private static String formats() {
        return String.join(", ", Arrays.stream(WebhookFormat.values())
                .map(format -> format.name().toLowerCase(Locale.ROOT)).toList());
    }

    private static Duration coolDown(Config config, String key, String variable) {
        try {
            Duration coolDown = config.getOptionalValue(key, Duration.class).orElse(WebhookSource.DEFAULT_COOL_DOWN);
            if (coolDown.isNegative()) {
                throw new IllegalArgumentException("negative");
            }
            return coolDown;
        } catch (IllegalArgumentException unreadable) {
            throw new MisconfiguredSource(variable + " is not a duration (e.g. 15M, 1H or 0S for none).");
        }
    }

    /** Off (0) unless set: a user named by an alert is locked only where the deployer allowed it. */
    private static int userLocks(Config config, String key, String variable) {
        try {
            int most = config.getOptionalValue(key, Integer.class).orElse(0);
            if (most < 0 || most > WebhookSource.MOST_USER_LOCKS) {
                throw new IllegalArgumentException("out of range");
            }
            return most;
        } catch (IllegalArgumentException unreadable) {
            throw new MisconfiguredSource(variable + " is the most devices one alert naming a user may lock: 0 (off, "
                    + "the default) to " + WebhookSource.MOST_USER_LOCKS + ".");
        }
    }

    private static String field(Config config, String key, String fallback) {
        return config.getOptionalValue(key, String.class).orElse(fallback);
    }
}
