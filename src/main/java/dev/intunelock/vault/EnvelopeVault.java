package dev.intunelock.vault;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.time.LocalDate;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

import jakarta.enterprise.context.ApplicationScoped;

import dev.intunelock.random.FreshRandom;
import dev.intunelock.vault.VaultExceptions.KeyShredded;
import dev.intunelock.vault.VaultExceptions.SealBroken;
import dev.intunelock.vault.VaultExceptions.VaultUnavailable;

/**
 * Envelope encryption: a secret is sealed with AES-256-GCM under its day's data key (from KMS, see {@link DataKeys}),
 * with the caller's associated data bound in (a sealed secret moved to another record does not open). Crypto-shredding:
 * once a day's key is destroyed ({@link #shredDueKeys()}), no copy of what it sealed, wherever it was copied, can
 * be opened again. JDK ciphers only: no encryption library to load at start-up.
 */
@ApplicationScoped
public class EnvelopeVault {

    private static final byte VERSION = 1;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private final DataKeys keys;

    EnvelopeVault(DataKeys keys) {
        this.keys = keys;
    }

    /** Seals {@code plaintext} under the key of {@code keyDay}. {@link VaultUnavailable} if KMS or the key store fails. */
    public Sealed seal(KeyDay keyDay, byte[] plaintext, byte[] associatedData) {
        SecretKey key = keys.forSealing(keyDay);
        byte[] iv = new byte[IV_BYTES];
        FreshRandom.nextBytes(iv); // unique per restored environment: the day's key is shared by all
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(associatedData);
            byte[] body = cipher.doFinal(plaintext);
            return new Sealed(keyDay.day(), ByteBuffer.allocate(1 + IV_BYTES + body.length).put(VERSION).put(iv)
                    .put(body).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this runtime", e);
        }
    }

    /**
     * Opens a sealed secret with the associated data it was sealed with. {@link KeyShredded} once its key is gone,
     * {@link SealBroken} if it was altered or belongs elsewhere, {@link VaultUnavailable} if KMS or the key store fails.
     */
    public byte[] open(Sealed sealed, byte[] associatedData) {
        LocalDate day = sealed.keyDay();
        byte[] bytes = sealed.ciphertext();
        if (bytes.length < 1 + IV_BYTES + TAG_BITS / 8 || bytes[0] != VERSION) {
            throw new SealBroken(day);
        }
        SecretKey key = keys.forOpening(day);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 1, IV_BYTES));
            cipher.updateAAD(associatedData);
            return cipher.doFinal(bytes, 1 + IV_BYTES, bytes.length - 1 - IV_BYTES);
        } catch (AEADBadTagException broken) {
            throw new SealBroken(day);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this runtime", e);
        }
    }

    /** Destroys the data keys whose shred time has come (the retry sweep's step); returns how many. */
    public int shredDueKeys() {
        return keys.shredDue();
    }
}
