package dev.intunelock.vault;

import java.time.LocalDate;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.intunelock.vault.VaultExceptions.VaultUnavailable;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;

/**
 * Data keys from AWS KMS under the customer-managed key of template.yaml ({@code PIN_KMS_KEY_ID}): made with
 * {@code GenerateDataKey} (the plaintext key for this process, the wrapped copy for the key store) and unwrapped
 * with {@code Decrypt}. The encryption context names the purpose and the day, so a wrapped key answers only for its
 * own day, and CloudTrail shows which day's key was used.
 */
@ApplicationScoped
class KeyWrapping {

    static final String PURPOSE = "mac-recovery-pin";

    /** A fresh data key: the plaintext (never stored, never logged) and its KMS-wrapped form. */
    record DataKey(byte[] plaintext, byte[] wrapped, String kmsKeyArn) {
        @Override
        public String toString() {
            return "DataKey[under " + kmsKeyArn + "]";
        }
    }

    private final KmsClient kms;
    private final String keyId;

    KeyWrapping(KmsClient kms, @ConfigProperty(name = "pin.kms.key-id") String keyId) {
        this.kms = kms;
        this.keyId = keyId;
    }

    DataKey generate(LocalDate day) {
        try {
            GenerateDataKeyResponse key = kms.generateDataKey(r -> r.keyId(keyId).keySpec(DataKeySpec.AES_256)
                    .encryptionContext(context(day)));
            return new DataKey(key.plaintext().asByteArray(), key.ciphertextBlob().asByteArray(), key.keyId());
        } catch (SdkException failure) {
            throw new VaultUnavailable("KMS could not make the data key of " + day, failure);
        }
    }

    byte[] unwrap(byte[] wrapped, LocalDate day) {
        try {
            return kms.decrypt(r -> r.keyId(keyId).ciphertextBlob(SdkBytes.fromByteArray(wrapped))
                    .encryptionContext(context(day))).plaintext().asByteArray();
        } catch (SdkException failure) {
            throw new VaultUnavailable("KMS could not unwrap the data key of " + day, failure);
        }
    }

    private static Map<String, String> context(LocalDate day) {
        return Map.of("purpose", PURPOSE, "keyDay", day.toString());
    }
}
