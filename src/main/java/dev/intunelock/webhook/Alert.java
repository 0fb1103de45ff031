package dev.intunelock.webhook;

/**
 * One alert of a delivery, whatever the sender's format: its id for the response, the key that makes a
 * redelivery recognisable, whether it is firing, its severity, the device it names (or null), and a summary.
 */
record Alert(String alertId, String deliveryKey, boolean firing, String severity, DeviceRef device,
        String summary) {

    enum IdentityKind {
        INTUNE_DEVICE_ID, AZURE_AD_DEVICE_ID, SERIAL_NUMBER, DEVICE_NAME
    }

    /** How the alert names its device. */
    record DeviceRef(IdentityKind kind, String value) {
    }
}
