package dev.intunelock.webhook;

import java.util.List;
import java.util.Optional;

/**
 * A configured sender: its format, its shared secrets (several at once, for rotation), an optional minimum
 * severity, and which alert labels or fields name the device.
 */
record WebhookSource(String name, WebhookFormat format, List<String> secrets, Optional<String> timestampHeader,
        Optional<Severity> minimumSeverity, DeviceFields deviceFields) {

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
