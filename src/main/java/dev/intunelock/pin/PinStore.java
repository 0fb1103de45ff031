package dev.intunelock.pin;

import static dev.intunelock.storage.ItemFields.attribute;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondarySortKey;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.intunelock.storage.ItemFields;
import dev.intunelock.storage.LocksTable;
import dev.intunelock.storage.SortableTime;
import dev.intunelock.vault.Sealed;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticImmutableTableSchema;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * PIN items, one per Mac lock, under the device ({@code pk DEVICE#id}, {@code sk PIN#<sentAt>#<lockId>}, so the
 * newest sorts last). Each carries the table's TTL attribute: the send time + 30 days, in epoch seconds. The PIN
 * itself is stored sealed only ({@code pinSealed}, {@code pinKeyDay}). Two work lists of the retry sweep are kept in
 * the retry-queue index, so that it finds them without anyone reading them: PINs still awaited from Intune
 * (partition {@value #AWAITING_QUEUE}, by lock time) and sealed PINs (partition {@value #SEALED_QUEUE}, by expiry),
 * to be removed when their window ends.
 */
@ApplicationScoped
public class PinStore {

    static final String TTL_ATTRIBUTE = "ttlEpochSeconds";
    static final String AWAITING_QUEUE = "AWAITING_PIN";
    static final String SEALED_QUEUE = "SEALED_PIN";
    private static final TableSchema<PinRecord> SCHEMA = schema();

    private final LocksTable table;
    private final DynamoDbClient dynamo;

    PinStore(LocksTable table, DynamoDbClient dynamo) {
        this.table = table;
        this.dynamo = dynamo;
    }

    /** Creates the item for a lock just sent; false if it exists already. */
    public boolean create(PinRecord pin) {
        return put(pin, Expression.builder().expression("attribute_not_exists(pk)").build());
    }

    /**
     * Stores the new state, provided the item is still in {@code expected}, and never puts back a sealed PIN that
     * the sweep has removed meanwhile.
     */
    public boolean update(PinRecord pin, PinStatus expected) {
        boolean keepsPin = pin.sealedPin() != null && expected != PinStatus.AWAITING;
        return put(pin, Expression.builder()
                .expression("#state = :expected" + (keepsPin ? " AND attribute_exists(pinSealed)" : ""))
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
                        .partitionValue(partition(deviceId)).sortValue("PIN#").build()))
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

    /**
     * Removes the sealed PIN (and its place in the sweep's list) from the item, touching nothing else on it, so that
     * a change made meanwhile (an unlock confirmed, a forced re-lock) stands. False if it was gone already.
     */
    public boolean removeSealedPin(PinRecord pin) {
        return LocksTable.call(() -> {
            try {
                dynamo.updateItem(r -> r.tableName(table.name())
                        .key(Map.of(LocksTable.PARTITION_KEY, AttributeValue.fromS(partition(pin.deviceId())),
                                LocksTable.SORT_KEY, AttributeValue.fromS(sortKey(pin.lockedAt(), pin.lockId()))))
                        .updateExpression("REMOVE pinSealed, pinKeyDay, retryQueue, nextAttemptAt")
                        .conditionExpression("attribute_exists(pinSealed) AND retryQueue = :sealed")
                        .expressionAttributeValues(Map.of(":sealed", AttributeValue.fromS(SEALED_QUEUE))));
                return true;
            } catch (ConditionalCheckFailedException gone) {
                return false;
            }
        });
    }

    /** Sealed PINs whose window ended by {@code now}, soonest expired first (the sweep removes them). */
    public List<PinRecord> sealedExpiredBy(Instant now, int limit) {
        return LocksTable.retryQueue(items(), SEALED_QUEUE, SortableTime.of(now), limit);
    }

    private boolean put(PinRecord pin, Expression condition) {
        return LocksTable.putIf(items(), PinRecord.class, pin, condition);
    }

    private DynamoDbTable<PinRecord> items() {
        return table.items(SCHEMA);
    }

    private static Key key(String deviceId, Instant sentAt, String lockId) {
        return Key.builder().partitionValue(partition(deviceId)).sortValue(sortKey(sentAt, lockId)).build();
    }

    private static String partition(String deviceId) {
        return "DEVICE#" + deviceId;
    }

    private static String sortKey(Instant sentAt, String lockId) {
        return "PIN#" + sentAt + "#" + lockId;
    }

    private static TableSchema<PinRecord> schema() {
        var schema = StaticImmutableTableSchema.builder(PinRecord.class, ItemFields.class)
                .newItemBuilder(ItemFields::new, PinStore::toPin);
        attribute(schema, String.class, "pk", p -> partition(p.deviceId()), primaryPartitionKey());
        attribute(schema, String.class, "sk", p -> sortKey(p.lockedAt(), p.lockId()), primarySortKey());
        attribute(schema, String.class, "deviceId", PinRecord::deviceId);
        attribute(schema, String.class, "lockId", PinRecord::lockId);
        attribute(schema, Instant.class, "lockedAt", PinRecord::lockedAt);
        attribute(schema, Instant.class, "expiresAt", PinRecord::expiresAt);
        attribute(schema, Long.class, TTL_ATTRIBUTE, p -> PinWindow.ttlEpochSeconds(p.lockedAt()));
        attribute(schema, String.class, "state", p -> p.state().name());
        attribute(schema, byte[].class, "pinSealed", p -> p.sealedPin() == null ? null : p.sealedPin().ciphertext());
        attribute(schema, String.class, "pinKeyDay",
                p -> p.sealedPin() == null ? null : p.sealedPin().keyDay().toString());
        attribute(schema, String.class, "note", PinRecord::note);
        attribute(schema, Boolean.class, "guardStays", PinRecord::guardStays);
        attribute(schema, Instant.class, "unlockedAt", PinRecord::unlockedAt);
        attribute(schema, String.class, "unlockedBy", PinRecord::unlockedBy);
        attribute(schema, String.class, "supersededBy", PinRecord::supersededBy);
        attribute(schema, Instant.class, "previousResultAt", PinRecord::previousResultAt);
        // Sparse index keys: an awaited PIN is in one of the sweep's queues, a sealed PIN in another.
        attribute(schema, String.class, "retryQueue", PinStore::queue,
                secondaryPartitionKey(LocksTable.RETRY_QUEUE_INDEX));
        attribute(schema, String.class, "nextAttemptAt", PinStore::queuedBy,
                secondarySortKey(LocksTable.RETRY_QUEUE_INDEX));
        return schema.build();
    }

    private static String queue(PinRecord pin) {
        return pin.state() == PinStatus.AWAITING ? AWAITING_QUEUE : pin.sealedPin() != null ? SEALED_QUEUE : null;
    }

    private static String queuedBy(PinRecord pin) {
        return switch (String.valueOf(queue(pin))) {
            case AWAITING_QUEUE -> pin.lockedAt().toString();
            case SEALED_QUEUE -> SortableTime.of(pin.expiresAt());
            default -> null;
        };
    }

    private static PinRecord toPin(ItemFields f) {
        byte[] sealed = f.get("pinSealed");
        String keyDay = f.get("pinKeyDay");
        return new PinRecord(f.get("deviceId"), f.get("lockId"), f.get("lockedAt"),
                PinStatus.valueOf(f.get("state")),
                sealed == null || keyDay == null ? null : new Sealed(LocalDate.parse(keyDay), sealed),
                f.get("note"), Boolean.TRUE.equals(f.get("guardStays")), f.get("unlockedAt"), f.get("unlockedBy"),
                f.get("supersededBy"), f.get("previousResultAt"));
    }
}
