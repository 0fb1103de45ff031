package dev.intunelock.vault;

import static dev.intunelock.storage.ItemFields.attribute;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.intunelock.storage.ItemFields;
import dev.intunelock.storage.LocksTable;
import dev.intunelock.storage.StorageUnavailableException;
import dev.intunelock.vault.VaultExceptions.VaultUnavailable;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticImmutableTableSchema;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;

/**
 * The wrapped data keys, one per day, in a table of their own ({@code PinKeysTable}, name from
 * {@code PIN_KEYS_TABLE}) that template.yaml gives no point-in-time recovery, no stream and no backup: once an item is
 * deleted here, no copy of that wrapped key exists anywhere, so KMS can never unwrap it again. Its TTL attribute
 * ({@code ttlEpochSeconds}, the shred time) is a backstop should the sweep not run.
 */
@ApplicationScoped
class DataKeyStore {

    /** A stored data key: KMS-wrapped only. */
    record WrappedKey(LocalDate day, byte[] wrapped, String kmsKeyArn, Instant shredAt, Instant createdAt) {
        @Override
        public String toString() {
            return "WrappedKey[" + day + ", shred at " + shredAt + "]";
        }
    }

    private static final String PARTITION = "DATA_KEY";
    private static final TableSchema<WrappedKey> SCHEMA = schema();

    private final DynamoDbEnhancedClient client;
    private final String tableName;

    DataKeyStore(DynamoDbEnhancedClient client, @ConfigProperty(name = "pin.keys.table") String tableName) {
        this.client = client;
        this.tableName = tableName;
    }

    Optional<WrappedKey> find(LocalDate day) {
        return call(() -> Optional.ofNullable(items().getItem(r -> r.key(key(day)).consistentRead(true))));
    }

    /** Stores the day's key unless another process stored one first (then false: use theirs). */
    boolean createIfAbsent(WrappedKey key) {
        return call(() -> LocksTable.putIf(items(), WrappedKey.class, key,
                Expression.builder().expression("attribute_not_exists(pk)").build()));
    }

    /** Every stored key (a handful: one per day of the last month). */
    List<WrappedKey> all() {
        return call(() -> items().query(QueryConditional.keyEqualTo(Key.builder().partitionValue(PARTITION).build()))
                .items().stream().toList());
    }

    void delete(LocalDate day) {
        call(() -> items().deleteItem(key(day)));
    }

    private DynamoDbTable<WrappedKey> items() {
        return client.table(tableName, SCHEMA);
    }

    private static Key key(LocalDate day) {
        return Key.builder().partitionValue(PARTITION).sortValue(day.toString()).build();
    }

    /** A store operation; a failing store makes the vault unavailable (not the lock store: locks go on). */
    private static <T> T call(Supplier<T> operation) {
        try {
            return LocksTable.call(operation);
        } catch (StorageUnavailableException failure) {
            throw new VaultUnavailable("The data-key store is unavailable", failure.getCause());
        }
    }

    private static TableSchema<WrappedKey> schema() {
        var schema = StaticImmutableTableSchema.builder(WrappedKey.class, ItemFields.class)
                .newItemBuilder(ItemFields::new, f -> new WrappedKey(LocalDate.parse(f.<String>get("sk")),
                        f.get("wrappedKey"), f.get("kmsKeyArn"), f.get("shredAt"), f.get("createdAt")));
        attribute(schema, String.class, "pk", k -> PARTITION, primaryPartitionKey());
        attribute(schema, String.class, "sk", k -> k.day().toString(), primarySortKey());
        attribute(schema, byte[].class, "wrappedKey", WrappedKey::wrapped);
        attribute(schema, String.class, "kmsKeyArn", WrappedKey::kmsKeyArn);
        attribute(schema, Instant.class, "shredAt", WrappedKey::shredAt);
        attribute(schema, Instant.class, "createdAt", WrappedKey::createdAt);
        attribute(schema, Long.class, "ttlEpochSeconds", k -> k.shredAt().getEpochSecond());
        return schema.build();
    }
}
