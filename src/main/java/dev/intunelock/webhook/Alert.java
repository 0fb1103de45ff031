package dev.intunelock.webhook;

/**
 * One alert of a delivery, whatever the sender's format: its id for the response, the key that makes a
 * redelivery recognisable, whether it is firing, its severity, the device (or user) it names (or null), and a
 * summary.
 */
record Alert(String alertId, String deliveryKey, boolean firing, String severity, DeviceRef device,
        String summary) {

    enum IdentityKind {
        INTUNE_DEVICE_ID, AZURE_AD_DEVICE_ID, SERIAL_NUMBER, DEVICE_NAME,
        /** Not one device: every managed device of this user (UPN or Entra object id). */
        USER
    }

    /** How the alert names its device, or the user whose devices it means. */
    record DeviceRef(IdentityKind kind, String value) {
    }
}
