package dev.intunelock.pin;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import jakarta.enterprise.context.ApplicationScoped;

import dev.intunelock.vault.EnvelopeVault;
import dev.intunelock.vault.Sealed;

/**
 * A PIN as it is stored: sealed under the data key of its lock's day ({@link ShreddingBound}), bound to its device,
 * lock and expiry, so that a sealed PIN copied onto another record does not open.
 */
@ApplicationScoped
class PinSealing {

    private final EnvelopeVault vault;

    PinSealing(EnvelopeVault vault) {
        this.vault = vault;
    }

    Sealed seal(PinRecord pin, RecoveryPin captured) {
        byte[] digits = captured.digits().getBytes(StandardCharsets.US_ASCII);
        try {
            return vault.seal(ShreddingBound.keyOf(pin.lockedAt()), digits, boundTo(pin));
        } finally {
            Arrays.fill(digits, (byte) 0);
        }
    }

    RecoveryPin open(PinRecord pin) {
        byte[] digits = vault.open(pin.sealedPin(), boundTo(pin));
        try {
            return RecoveryPin.parse(new String(digits, StandardCharsets.US_ASCII))
                    .orElseThrow(() -> new IllegalStateException("A sealed PIN opened to something else"));
        } finally {
            Arrays.fill(digits, (byte) 0);
        }
    }

    private static byte[] boundTo(PinRecord pin) {
        return String.join("\n", "mac-recovery-pin/v1", pin.deviceId(), pin.lockId(), pin.expiresAt().toString())
                .getBytes(StandardCharsets.UTF_8);
    }
}
