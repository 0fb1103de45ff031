package dev.intunelock.pin;

/** Why a PIN request was refused; the web layer turns each into its problem response. */
public final class PinRejections {

    private PinRejections() {
    }

    /** No PIN can be served for the device: none held, not captured yet, unavailable, or expired. */
    public static final class NoPinServed extends RuntimeException {
        private final String deviceId;
        private final String lockId;
        private final PinStatus status;

        public NoPinServed(String deviceId, String lockId, PinStatus status, String why) {
            super(why);
            this.deviceId = deviceId;
            this.lockId = lockId;
            this.status = status;
        }

        public String deviceId() {
            return deviceId;
        }

        public String lockId() {
            return lockId;
        }

        public PinStatus status() {
            return status;
        }
    }

    /** The caller lacks the role that reading PINs needs (the refusal is audited). */
    public static final class PinReadNotAllowed extends RuntimeException {
        public PinReadNotAllowed() {
            super("Reading recovery PINs needs the Pins.Read role");
        }
    }

    /** The PIN record kept changing under concurrent updates; nothing was decided, the caller may try again. */
    public static final class PinRecordBusy extends RuntimeException {
        public PinRecordBusy(String deviceId) {
            super("The recovery PIN record of device " + deviceId + " is being changed by another request");
        }
    }
}
