package dev.intunelock.pin;

import static dev.intunelock.storage.ItemFields.attribute;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondarySortKey;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.intunelock.storage.ItemFields;
import dev.intunelock.storage.LocksTable;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticImmutableTableSchema;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * PIN items, one per Mac lock, under the device ({@code pk DEVICE#id}, {@code sk PIN#<sentAt>#<lockId>}, so the
 * newest sorts last). Each carries the table's TTL attribute: the send time + 30 days, in epoch seconds. A PIN still
 * awaited from Intune is also listed in the retry-queue index (partition {@value #AWAITING_QUEUE}, by lock time), so
 * the retry sweep finds it without anyone reading it.
 */
@ApplicationScoped
public class PinStore {

    static final String TTL_ATTRIBUTE = "ttlEpochSeconds";
    static final String AWAITING_QUEUE = "AWAITING_PIN";
    private static final TableSchema<PinRecord> SCHEMA = schema();

    private final LocksTable table;

    PinStore(LocksTable table) {
        this.table = table;
    }

    /** Creates the item for a lock just sent; false if it exists already. */
    public boolean create(PinRecord pin) {
        return put(pin, Expression.builder().expression("attribute_not_exists(pk)").build());
    }

    /** Stores the new state, provided the item is still in {@code expected}. */
    public boolean update(PinRecord pin, PinStatus expected) {
        return put(pin, Expression.builder().expression("#state = :expected")
                .putExpressionName("#state", "state")
                .putExpressionValue(":expected", AttributeValue.fromS(expected.name()))
                .build());
    }

    public Optional<PinRecord> find(String deviceId, String lockId, Instant sentAt) {
        return LocksTable.call(() -> Optional.ofNullable(items().getItem(r -> r.key(key(deviceId, sentAt, lockId))
                .consistentRead(true))));
    }

    /** The PIN of the device's most recent Mac lock, if any. */
    public Optional<PinRecord> latest(String deviceId) {
        return LocksTable.call(() -> items().query(QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.sortBeginsWith(Key.builder()
                        .partitionValue("DEVICE#" + deviceId).sortValue("PIN#").build()))
                .scanIndexForward(false)
                .consistentRead(true)
                .limit(1)
                .build())
                .items().stream().findFirst());
    }

    /** PINs still awaited from Intune, oldest lock first (the retry sweep's second work list). */
    public List<PinRecord> awaiting(int limit) {
        return LocksTable.retryQueue(items(), AWAITING_QUEUE, limit);
    }

    private boolean put(PinRecord pin, Expression condition) {
        return LocksTable.putIf(items(), PinRecord.class, pin, condition);
    }

    private DynamoDbTable<PinRecord> items() {
        return table.items(SCHEMA);
    }

    private static Key key(String deviceId, Instant sentAt, String lockId) {
        return Key.builder().partitionValue("DEVICE#" + deviceId).sortValue(sortKey(sentAt, lockId)).build();
    }

    private static String sortKey(Instant sentAt, String lockId) {
        return "PIN#" + sentAt + "#" + lockId;
    }

    private static TableSchema<PinRecord> schema() {
        var schema = StaticImmutableTableSchema.builder(PinRecord.class, ItemFields.class)
                .newItemBuilder(ItemFields::new, PinStore::toPin);
        attribute(schema, String.class, "pk", p -> "DEVICE#" + p.deviceId(), primaryPartitionKey());
        attribute(schema, String.class, "sk", p -> sortKey(p.lockedAt(), p.lockId()), primarySortKey());
        attribute(schema, String.class, "deviceId", PinRecord::deviceId);
        attribute(schema, String.class, "lockId", PinRecord::lockId);
        attribute(schema, Instant.class, "lockedAt", PinRecord::lockedAt);
        attribute(schema, Instant.class, "expiresAt", PinRecord::expiresAt);
        attribute(schema, Long.class, TTL_ATTRIBUTE, p -> PinWindow.ttlEpochSeconds(p.lockedAt()));
        attribute(schema, String.class, "state", p -> p.state().name());
        attribute(schema, String.class, "pin", p -> p.pin() == null ? null : p.pin().digits());
        attribute(schema, String.class, "note", PinRecord::note);
        attribute(schema, Boolean.class, "guardStays", PinRecord::guardStays);
        attribute(schema, Instant.class, "unlockedAt", PinRecord::unlockedAt);
        attribute(schema, String.class, "unlockedBy", PinRecord::unlockedBy);
        attribute(schema, String.class, "supersededBy", PinRecord::supersededBy);
        attribute(schema, Instant.class, "previousResultAt", PinRecord::previousResultAt);
        // Sparse index keys: only an awaited PIN is in the sweep's queue.
        attribute(schema, String.class, "retryQueue", p -> p.state() == PinStatus.AWAITING ? AWAITING_QUEUE : null,
                secondaryPartitionKey(LocksTable.RETRY_QUEUE_INDEX));
        attribute(schema, String.class, "nextAttemptAt",
                p -> p.state() == PinStatus.AWAITING ? p.lockedAt().toString() : null,
                secondarySortKey(LocksTable.RETRY_QUEUE_INDEX));
        return schema.build();
    }

    private static PinRecord toPin(ItemFields f) {
        String pin = f.get("pin");
        return new PinRecord(f.get("deviceId"), f.get("lockId"), f.get("lockedAt"),
                PinStatus.valueOf(f.get("state")), pin == null ? null : RecoveryPin.parse(pin).orElse(null),
                f.get("note"), Boolean.TRUE.equals(f.get("guardStays")), f.get("unlockedAt"), f.get("unlockedBy"),
                f.get("supersededBy"), f.get("previousResultAt"));
    }
}
