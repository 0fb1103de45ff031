package dev.intunelock.vault;

import java.time.LocalDate;

/** Why the vault could not seal or open a secret. None of them carries key material or plaintext. */
public final class VaultExceptions {

    private VaultExceptions() {
    }

    /** KMS or the data-key store could not be reached or refused: nothing was sealed or opened; try again later. */
    public static final class VaultUnavailable extends RuntimeException {
        public VaultUnavailable(String what, Throwable cause) {
            super(what + ": " + cause.getClass().getSimpleName(), cause);
        }
    }

    /** The data key of that day has been destroyed (or is due to be): what it sealed can never be opened again. */
    public static final class KeyShredded extends RuntimeException {
        private final LocalDate day;

        public KeyShredded(LocalDate day) {
            super("The data key of " + day + " has been destroyed");
            this.day = day;
        }

        public LocalDate day() {
            return day;
        }
    }

    /** The ciphertext does not open with its key and context: altered, or moved to another record. */
    public static final class SealBroken extends RuntimeException {
        public SealBroken(LocalDate day) {
            super("A secret sealed under the data key of " + day + " does not open with its context");
        }
    }
}
