package dev.intunelock.lock;

import static dev.intunelock.storage.ItemFields.attribute;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondarySortKey;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.intunelock.storage.ItemFields;
import dev.intunelock.storage.LocksTable;
import dev.intunelock.storage.StorageUnavailableException;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbIndex;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticImmutableTableSchema;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Lock records and the per-device claim that keeps one lock in flight per device, in {@link LocksTable}.
 * Every write that decides something is a single-item conditional write (no transactions), so concurrent requests
 * cannot both win.
 */
@ApplicationScoped
public class LockStore {

    static final String RETRY_QUEUE = "PENDING";

    private static final TableSchema<Lock> LOCK_SCHEMA = lockSchema();
    private static final TableSchema<DeviceClaim> CLAIM_SCHEMA = claimSchema();
    private static final TableSchema<QueuedLock> QUEUE_SCHEMA = queueSchema();

    private final LocksTable table;

    LockStore(LocksTable table) {
        this.table = table;
    }

    /**
     * A pending lock as the retry queue lists it: only what the sweep needs to pick it, so that one record that
     * cannot be read does not stop the sweep from listing the others.
     */
    private record QueuedLock(String lockId, Instant requestedAt) {
    }

    /** The device's claim: which lock holds it, since when, and whether that lock has let go. */
    public record DeviceClaim(String deviceId, String lockId, Instant claimedAt, boolean released) {
    }

    public Optional<Lock> find(String lockId) {
        return LocksTable.call(() -> Optional.ofNullable(locks().getItem(r -> r.key(lockKey(lockId)).consistentRead(true))));
    }

    /** Records a new lock; false when a lock with this id already exists (an idempotent replay). */
    public boolean insert(Lock lock) {
        return LocksTable.putIf(locks(), Lock.class, lock, Expression.builder().expression("attribute_not_exists(pk)").build());
    }

    /** Stores the lock's new state, provided nobody moved it on from {@code expected} in the meantime. */
    public boolean update(Lock lock, LockStatus expected) {
        return LocksTable.putIf(locks(), Lock.class, lock, Expression.builder()
                .expression("#status = :expected")
                .putExpressionName("#status", "status")
                .putExpressionValue(":expected", AttributeValue.fromS(expected.name()))
                .build());
    }

    /**
     * Records, before remoteLock is called, that the attempt holding the lease {@code sending.nextAttemptAt()} is
     * about to send: false if the lease has passed to someone else.
     */
    public boolean recordSending(Lock sending) {
        return LocksTable.putIf(locks(), Lock.class, sending, Expression.builder()
                .expression("#status = :pending AND nextAttemptAt = :lease")
                .putExpressionName("#status", "status")
                .putExpressionValue(":pending", AttributeValue.fromS(LockStatus.PENDING.name()))
                .putExpressionValue(":lease", AttributeValue.fromS(sending.nextAttemptAt().toString()))
                .build());
    }

    /**
     * Takes a pending lock for one more attempt, provided nobody else took it since it was read as {@code due}:
     * of several requests finding it due at once, exactly one re-attempts it.
     */
    public boolean takeForAttempt(Lock due, Instant attemptUntil) {
        return LocksTable.putIf(locks(), Lock.class, due.attemptingUntil(attemptUntil), Expression.builder()
                .expression("#status = :pending AND nextAttemptAt = :seen")
                .putExpressionName("#status", "status")
                .putExpressionValue(":pending", AttributeValue.fromS(LockStatus.PENDING.name()))
                .putExpressionValue(":seen", AttributeValue.fromS(due.nextAttemptAt().toString()))
                .build());
    }

    /**
     * Claims the device for {@code lockId}. Succeeds when nobody holds it, its holder let go, or {@code lockId}
     * already holds it; otherwise returns the claim of the lock that does.
     */
    public Optional<DeviceClaim> claimDevice(String deviceId, String lockId, Instant now) {
        DeviceClaim claim = new DeviceClaim(deviceId, lockId, now, false);
        Expression claimable = Expression.builder()
                .expression("attribute_not_exists(pk) OR released = :true OR lockId = :mine")
                .putExpressionValue(":true", AttributeValue.fromBool(true))
                .putExpressionValue(":mine", AttributeValue.fromS(lockId))
                .build();
        for (int attempt = 0; attempt < 3; attempt++) {
            if (LocksTable.putIf(claims(), DeviceClaim.class, claim, claimable)) {
                return Optional.empty();
            }
            DeviceClaim holder = LocksTable.call(() -> claims().getItem(r -> r.key(claimKey(deviceId)).consistentRead(true)));
            if (holder != null && !holder.released()) {
                return Optional.of(holder);
            }
            // The holder let go between our write and our read: try again.
        }
        throw new StorageUnavailableException("The claim on device " + deviceId + " keeps changing", null);
    }

    /** The device's claim, held or let go: it names the device's most recent lock. */
    public Optional<DeviceClaim> claimOf(String deviceId) {
        return LocksTable.call(() -> Optional.ofNullable(claims().getItem(r -> r.key(claimKey(deviceId))
                .consistentRead(true))));
    }

    /** Hands the device from {@code holderLockId} to {@code lockId}; false if the holder changed meanwhile. */
    public boolean takeOverClaim(String deviceId, String holderLockId, String lockId, Instant now) {
        return LocksTable.putIf(claims(), DeviceClaim.class, new DeviceClaim(deviceId, lockId, now, false),
                Expression.builder().expression("lockId = :holder")
                        .putExpressionValue(":holder", AttributeValue.fromS(holderLockId)).build());
    }

    /** Lets go of the device, if {@code lockId} still holds it. */
    public void releaseDevice(String deviceId, String lockId, Instant now) {
        LocksTable.putIf(claims(), DeviceClaim.class, new DeviceClaim(deviceId, lockId, now, true), Expression.builder()
                .expression("lockId = :mine")
                .putExpressionValue(":mine", AttributeValue.fromS(lockId))
                .build());
    }

    /** The ids of pending locks due for another attempt at {@code now}, oldest due first (the retry sweep's work list). */
    public List<String> dueForRetry(Instant now, int limit) {
        return LocksTable.call(() -> queue()
                .query(QueryEnhancedRequest.builder()
                        .queryConditional(QueryConditional.sortLessThanOrEqualTo(Key.builder()
                                .partitionValue(RETRY_QUEUE).sortValue(now.toString()).build()))
                        .limit(limit)
                        .build())
                .stream()
                .flatMap(page -> page.items().stream())
                .map(QueuedLock::lockId)
                .limit(limit)
                .toList());
    }

    /** When the oldest lock still pending was requested (read from the retry queue, at most 1,000 locks deep). */
    public Optional<Instant> oldestPendingRequestedAt() {
        return LocksTable.call(() -> queue()
                .query(QueryEnhancedRequest.builder()
                        .queryConditional(QueryConditional.keyEqualTo(Key.builder().partitionValue(RETRY_QUEUE).build()))
                        .build())
                .stream()
                .flatMap(page -> page.items().stream())
                .limit(1000)
                .map(QueuedLock::requestedAt)
                .filter(Objects::nonNull)
                .min(Instant::compareTo));
    }

    private DynamoDbTable<Lock> locks() {
        return table.items(LOCK_SCHEMA);
    }

    private DynamoDbIndex<QueuedLock> queue() {
        return table.items(QUEUE_SCHEMA).index(LocksTable.RETRY_QUEUE_INDEX);
    }

    private DynamoDbTable<DeviceClaim> claims() {
        return table.items(CLAIM_SCHEMA);
    }

    static Key lockKey(String lockId) {
        return Key.builder().partitionValue("LOCK#" + lockId).sortValue("LOCK").build();
    }

    static Key claimKey(String deviceId) {
        return Key.builder().partitionValue("DEVICE#" + deviceId).sortValue("CLAIM").build();
    }

    private static TableSchema<Lock> lockSchema() {
        var schema = StaticImmutableTableSchema.builder(Lock.class, ItemFields.class)
                .newItemBuilder(ItemFields::new, LockStore::toLock);
        attribute(schema, String.class, "pk", l -> "LOCK#" + l.lockId(), primaryPartitionKey());
        attribute(schema, String.class, "sk", l -> "LOCK", primarySortKey());
        attribute(schema, String.class, "lockId", Lock::lockId);
        attribute(schema, String.class, "deviceId", Lock::deviceId);
        attribute(schema, String.class, "deviceName", Lock::deviceName);
        attribute(schema, String.class, "platform", l -> l.platform() == null ? null : l.platform().name());
        attribute(schema, String.class, "status", l -> l.status().name());
        attribute(schema, String.class, "source", Lock::source);
        attribute(schema, String.class, "requestedBy", Lock::requestedBy);
        attribute(schema, String.class, "requestedById", Lock::requestedById);
        attribute(schema, String.class, "reason", Lock::reason);
        attribute(schema, Instant.class, "requestedAt", Lock::requestedAt);
        attribute(schema, Instant.class, "sentAt", Lock::sentAt);
        attribute(schema, Integer.class, "attempts", Lock::attempts);
        attribute(schema, String.class, "errorCode", l -> l.lastError() == null ? null : l.lastError().code());
        attribute(schema, String.class, "errorMessage", l -> l.lastError() == null ? null : l.lastError().message());
        attribute(schema, String.class, "errorRequestId",
                l -> l.lastError() == null ? null : l.lastError().requestId());
        attribute(schema, Integer.class, "errorHttpStatus",
                l -> l.lastError() == null ? null : l.lastError().httpStatus());
        attribute(schema, Instant.class, "errorAt", l -> l.lastError() == null ? null : l.lastError().at());
        attribute(schema, Boolean.class, "errorMayHaveActed",
                l -> l.lastError() == null ? null : l.lastError().intuneMayHaveActed());
        attribute(schema, String.class, "supersedes", Lock::supersedes);
        attribute(schema, Instant.class, "unconfirmedSince", Lock::unconfirmedSince);
        attribute(schema, Instant.class, "previousResultAt", Lock::previousResultAt);
        // Sparse index keys: only a pending lock is in the retry queue.
        attribute(schema, String.class, "retryQueue", l -> l.status() == LockStatus.PENDING ? RETRY_QUEUE : null,
                secondaryPartitionKey(LocksTable.RETRY_QUEUE_INDEX));
        attribute(schema, String.class, "nextAttemptAt", l -> l.status() == LockStatus.PENDING
                && l.nextAttemptAt() != null ? l.nextAttemptAt().toString() : null,
                secondarySortKey(LocksTable.RETRY_QUEUE_INDEX));
        return schema.build();
    }

    private static Lock toLock(ItemFields f) {
        String errorCode = f.get("errorCode");
        LockError error = errorCode == null ? null : new LockError(errorCode, f.get("errorMessage"),
                f.get("errorRequestId"), f.getInt("errorHttpStatus", 0), f.get("errorAt"),
                Boolean.TRUE.equals(f.get("errorMayHaveActed")));
        String nextAttemptAt = f.get("nextAttemptAt");
        return new Lock(f.get("lockId"), f.get("deviceId"), f.get("deviceName"),
                f.get("platform") == null ? null : Platform.valueOf(f.get("platform")), LockStatus.valueOf(f.get("status")), f.get("source"),
                f.get("requestedBy"), f.get("requestedById"), f.get("reason"), f.get("requestedAt"), f.get("sentAt"),
                f.getInt("attempts", 0), error, nextAttemptAt == null ? null : Instant.parse(nextAttemptAt),
                f.get("supersedes"), f.get("unconfirmedSince"), f.get("previousResultAt"));
    }

    private static TableSchema<QueuedLock> queueSchema() {
        var schema = StaticImmutableTableSchema.builder(QueuedLock.class, ItemFields.class)
                .newItemBuilder(ItemFields::new, f -> new QueuedLock(f.get("lockId"), f.get("requestedAt")));
        attribute(schema, String.class, "pk", l -> "LOCK#" + l.lockId(), primaryPartitionKey());
        attribute(schema, String.class, "sk", l -> "LOCK", primarySortKey());
        attribute(schema, String.class, "lockId", QueuedLock::lockId);
        attribute(schema, Instant.class, "requestedAt", QueuedLock::requestedAt);
        attribute(schema, String.class, "retryQueue", l -> RETRY_QUEUE, secondaryPartitionKey(LocksTable.RETRY_QUEUE_INDEX));
        attribute(schema, String.class, "nextAttemptAt", l -> null, secondarySortKey(LocksTable.RETRY_QUEUE_INDEX));
        return schema.build();
    }

    private static TableSchema<DeviceClaim> claimSchema() {
        var schema = StaticImmutableTableSchema.builder(DeviceClaim.class, ItemFields.class)
                .newItemBuilder(ItemFields::new, f -> new DeviceClaim(f.get("deviceId"), f.get("lockId"),
                        f.get("claimedAt"), Boolean.TRUE.equals(f.get("released"))));
        attribute(schema, String.class, "pk", c -> "DEVICE#" + c.deviceId(), primaryPartitionKey());
        attribute(schema, String.class, "sk", c -> "CLAIM", primarySortKey());
        attribute(schema, String.class, "deviceId", DeviceClaim::deviceId);
        attribute(schema, String.class, "lockId", DeviceClaim::lockId);
        attribute(schema, Instant.class, "claimedAt", DeviceClaim::claimedAt);
        attribute(schema, Boolean.class, "released", DeviceClaim::released);
        return schema.build();
    }
}
