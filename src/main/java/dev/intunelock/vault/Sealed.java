package dev.intunelock.vault;

import java.time.LocalDate;
import java.util.Arrays;

/**
 * A secret sealed by the vault: the day of the data key that sealed it, and {@code version ‖ IV ‖ AES-GCM
 * ciphertext with its tag}. Holds nothing readable without that day's key.
 */
public record Sealed(LocalDate keyDay, byte[] ciphertext) {

    public Sealed {
        ciphertext = ciphertext.clone();
    }

    @Override
    public byte[] ciphertext() {
        return ciphertext.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Sealed sealed && sealed.keyDay.equals(keyDay)
                && Arrays.equals(sealed.ciphertext, ciphertext);
    }

    @Override
    public int hashCode() {
        return keyDay.hashCode() * 31 + Arrays.hashCode(ciphertext);
    }

    @Override
    public String toString() {
        return "Sealed[key of " + keyDay + ", " + ciphertext.length + " bytes]";
    }
}
