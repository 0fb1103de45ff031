package dev.intunelock.webhook;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A configured sender: its format, its shared secrets (several at once, for rotation), an optional minimum
 * severity, which alert labels or fields name the device, and the cool-down after a device's lock during which its
 * alerts do not lock it again.
 */
record WebhookSource(String name, WebhookFormat format, List<String> secrets, Optional<String> timestampHeader,
        Optional<Severity> minimumSeverity, DeviceFields deviceFields, Duration coolDown) {

    /** A device locked this recently is not locked again by an alert of this source (flapping alerts). */
    static final Duration DEFAULT_COOL_DOWN = Duration.ofMinutes(15);

    /** The label (or field) names that carry each kind of device identity. */
    record DeviceFields(String intuneDeviceId, String azureADDeviceId, String serialNumber, String deviceName) {
    }

    String lockSource() {
        return "webhook:" + name;
    }

    @Override
    public String toString() {
        return "WebhookSource[" + name + ", " + format + ", " + secrets.size() + " secret(s)]"; // never the secrets
    }
}
