package dev.intunelock.webhook;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import dev.intunelock.secret.ConfiguredSecret;

/**
 * A configured sender: its format, its shared secrets (several at once, for rotation: {@code secrets} as configured,
 * a Secrets Manager secret in AWS; {@code current} the values in use, see {@link SourceSecrets}), an optional minimum
 * severity, which alert labels or fields name the device, and the cool-down after a device's lock during which its
 * alerts do not lock it again.
 */
record WebhookSource(String name, WebhookFormat format, ConfiguredSecret secrets, List<String> current,
        Optional<String> timestampHeader, Optional<Severity> minimumSeverity, DeviceFields deviceFields,
        Duration coolDown, int userLocks) {

    /** A device locked this recently is not locked again by an alert of this source (flapping alerts). */
    static final Duration DEFAULT_COOL_DOWN = Duration.ofMinutes(15);

    /** The most devices one alert naming a user may lock; larger batches are for people with Locks.Bulk. */
    static final int MOST_USER_LOCKS = 50;

    /** The label (or field) names that carry each kind of device identity, and the user's. */
    record DeviceFields(String intuneDeviceId, String azureADDeviceId, String serialNumber, String deviceName,
            String user) {
    }

    /** Whether an alert naming a user may lock that user's devices (up to {@link #userLocks} of them). */
    boolean locksUsers() {
        return userLocks > 0;
    }

    /** This source with these secret values in use. */
    WebhookSource using(List<String> values) {
        return new WebhookSource(name, format, secrets, List.copyOf(values), timestampHeader, minimumSeverity,
                deviceFields, coolDown, userLocks);
    }

    /** The values of a secret setting: comma-separated, for rotation. */
    static List<String> values(String setting) {
        return Arrays.stream(setting.split(",")).map(String::trim).filter(value -> !value.isEmpty()).toList();
    }

    /** The environment variable that sets {@code setting} (e.g. {@code USER_LOCKS}) for the source {@code name}. */
    static String variable(String name, String setting) {
        return "WEBHOOK_" + name.toUpperCase(java.util.Locale.ROOT).replace('-', '_') + "_" + setting;
    }

    String lockSource() {
        return "webhook:" + name;
    }

    @Override
    public String toString() {
        return "WebhookSource[" + name + ", " + format + ", " + secrets + "]"; // never the secrets' values
    }
}
