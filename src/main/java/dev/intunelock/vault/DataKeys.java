package dev.intunelock.vault;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.intunelock.vault.DataKeyStore.WrappedKey;
import dev.intunelock.vault.KeyWrapping.DataKey;
import dev.intunelock.vault.VaultExceptions.KeyShredded;

/**
 * The data key of each day, made on first need, stored wrapped, and destroyed at its shred time. A key once
 * unwrapped is kept in memory until then, so sealing and opening cost no KMS call after the first (per key and
 * process); from its shred time on it is neither served from memory nor from the store.
 */
@ApplicationScoped
class DataKeys {

    private static final Logger LOG = Logger.getLogger(DataKeys.class);

    private record Cached(SecretKey key, Instant shredAt) {
    }

    private final Map<LocalDate, Cached> cache = new ConcurrentHashMap<>();
    private final DataKeyStore store;
    private final KeyWrapping kms;
    private final Clock clock;

    DataKeys(DataKeyStore store, KeyWrapping kms, Clock clock) {
        this.store = store;
        this.kms = kms;
        this.clock = clock;
    }

    /** The key to seal with: the day's key, made (one KMS call) if the day has none yet. */
    SecretKey forSealing(KeyDay keyDay) {
        return cached(keyDay.day()).orElseGet(() -> {
            refuseIfShredded(keyDay.day(), keyDay.shredAt());
            return store.find(keyDay.day()).map(this::unwrapped).orElseGet(() -> created(keyDay));
        });
    }

    /** The key to open with; {@link KeyShredded} if it is gone or due to be. */
    SecretKey forOpening(LocalDate day) {
        return cached(day).orElseGet(() -> unwrapped(store.find(day).orElseThrow(() -> new KeyShredded(day))));
    }

    /** Destroys every key whose shred time has come; returns how many were destroyed. */
    int shredDue() {
        Instant now = clock.instant();
        cache.entrySet().removeIf(entry -> !now.isBefore(entry.getValue().shredAt()));
        int shredded = 0;
        for (WrappedKey key : store.all()) {
            if (!now.isBefore(key.shredAt())) {
                store.delete(key.day());
                cache.remove(key.day());
                LOG.infof("Data key of %s destroyed (shred time %s): nothing it sealed can be opened any more",
                        key.day(), key.shredAt());
                shredded++;
            }
        }
        return shredded;
    }

    private Optional<SecretKey> cached(LocalDate day) {
        Cached cached = cache.get(day);
        if (cached == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(cached.shredAt())) {
            cache.remove(day, cached);
            throw new KeyShredded(day);
        }
        return Optional.of(cached.key());
    }

    private SecretKey created(KeyDay keyDay) {
        DataKey fresh = kms.generate(keyDay.day());
        WrappedKey wrapped = new WrappedKey(keyDay.day(), fresh.wrapped(), fresh.kmsKeyArn(), keyDay.shredAt(),
                clock.instant());
        if (store.createIfAbsent(wrapped)) {
            return remember(wrapped, fresh.plaintext());
        }
        Arrays.fill(fresh.plaintext(), (byte) 0);
        // Another process made the day's key first: everything is sealed under theirs.
        return unwrapped(store.find(keyDay.day()).orElseThrow(() -> new KeyShredded(keyDay.day())));
    }

    private SecretKey unwrapped(WrappedKey wrapped) {
        refuseIfShredded(wrapped.day(), wrapped.shredAt());
        return remember(wrapped, kms.unwrap(wrapped.wrapped(), wrapped.day()));
    }

    private SecretKey remember(WrappedKey wrapped, byte[] plaintext) {
        SecretKey key = new SecretKeySpec(plaintext, "AES");
        Arrays.fill(plaintext, (byte) 0);
        cache.put(wrapped.day(), new Cached(key, wrapped.shredAt()));
        return key;
    }

    private void refuseIfShredded(LocalDate day, Instant shredAt) {
        if (!clock.instant().isBefore(shredAt)) {
            throw new KeyShredded(day);
        }
    }
}
