package dev.intunelock.pin;

import java.time.Instant;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** The one response that carries a PIN. */
@RegisterForReflection
public record PinView(String deviceId, String lockId, String pin, Instant lockedAt, Instant expiresAt) {

    static PinView of(PinRecord record, RecoveryPin opened) {
        return new PinView(record.deviceId(), record.lockId(), opened.digits(), record.lockedAt(), record.expiresAt());
    }

    @Override
    public String toString() {
        return "PinView[" + deviceId + ", lock " + lockId + ", pin ******]";
    }
}
