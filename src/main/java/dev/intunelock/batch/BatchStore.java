package dev.intunelock.batch;

import static dev.intunelock.storage.ItemFields.attribute;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondarySortKey;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import dev.intunelock.lock.Platform;
import dev.intunelock.storage.ItemFields;
import dev.intunelock.storage.LocksTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticImmutableTableSchema;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Batches in {@link LocksTable}: one item per batch ({@code pk BATCH#<id>}, {@code sk BATCH}), the keys of all its
 * devices ({@code sk TARGETS}, written just before it), and one per device ({@code sk DEVICE#<Intune id>} or
 * {@code SERIAL#<serial number>}), kept {@link #KEPT}. A batch whose devices are not all recorded and on the queue yet
 * is listed in the retry-queue index (partition {@value #UNQUEUED}) until they are.
 */
@ApplicationScoped
class BatchStore {

    static final Duration KEPT = Duration.ofDays(90);
    static final String UNQUEUED = "BATCH";
    /** How long a batch may wait for its work to reach the queue before the retry sweep puts it there. */
    static final Duration QUEUEING_GRACE = Duration.ofMinutes(1);
    /**
     * How long after its request the retry sweep keeps trying to put a batch's work on the queue; then the devices
     * no worker has begun on end FAILED. Long enough for DynamoDB or SQS to come back from a short outage (seven
     * sweeps), short enough that whoever asked learns it while it still matters.
     */
    static final Duration QUEUEING_GIVE_UP = Duration.ofMinutes(15);
    private static final String HEADER = "BATCH";
    private static final String TARGETS = "TARGETS";
    /** Between device keys: serial numbers and Intune ids hold no space. */
    private static final String KEY_SEPARATOR = " ";

    private static final TableSchema<LockBatch> BATCHES = batchSchema();
    private static final TableSchema<BatchDevice> DEVICES = deviceSchema();
    private static final TableSchema<Targets> TARGET_KEYS = targetsSchema();

    /** Every device a batch names, by its entry's key: what the retry sweep records when the request could not. */
    private record Targets(String batchId, List<String> keys, Instant createdAt) {
    }

    private final LocksTable table;

    BatchStore(LocksTable table) {
        this.table = table;
    }

    /**
     * Records a batch and the keys of all its {@code devices} (not their entries: {@link #record}); false if a batch
     * with its id exists already. The keys go first, so a recorded batch always has them.
     */
    boolean create(LockBatch batch, List<BatchDevice> devices) {
        Targets targets = new Targets(batch.batchId(), devices.stream().map(BatchDevice::key).toList(),
                batch.createdAt());
        LocksTable.call(() -> {
            table.items(TARGET_KEYS).putItem(targets);
            return null;
        });
        return LocksTable.putIf(table.items(BATCHES), LockBatch.class, batch,
                Expression.builder().expression("attribute_not_exists(pk)").build());
    }

    /** Every device the batch names, as first queued (the entries themselves may have moved on). */
    List<BatchDevice> named(LockBatch batch) {
        Targets targets = LocksTable.call(() -> table.items(TARGET_KEYS).getItem(request -> request
                .key(key(batch.batchId(), TARGETS))
                .consistentRead(true)));
        if (targets == null) {
            return List.of();
        }
        return targets.keys().stream().map(key -> BatchDevice.queued(batch.batchId(), key, batch.createdAt()))
                .toList();
    }

    /** Records devices of a batch. */
    void record(List<BatchDevice> devices) {
        table.putAll(DEVICES, BatchDevice.class, devices);
    }

    /**
     * Writes {@code device}'s end unless a worker has begun on it meanwhile (it is no longer QUEUED, or has a lock);
     * true when written.
     */
    boolean failUnlessBegun(BatchDevice device) {
        return LocksTable.putIf(table.items(DEVICES), BatchDevice.class, device, Expression.builder()
                .expression("attribute_not_exists(pk) OR (#state = :queued AND attribute_not_exists(lockId))")
                .putExpressionName("#state", "state")
                .putExpressionValue(":queued", AttributeValue.fromS(DeviceState.QUEUED.name())).build());
    }

    Optional<LockBatch> find(String batchId) {
        return LocksTable.call(() -> Optional.ofNullable(table.items(BATCHES).getItem(request -> request
                .key(key(batchId, HEADER))
                .consistentRead(true))));
    }

    void queued(LockBatch batch, Instant at) {
        LocksTable.call(() -> {
            table.items(BATCHES).putItem(batch.queued(at));
            return null;
        });
    }

    /** Batches whose work has waited too long to reach the queue, oldest first. */
    List<LockBatch> unqueued(Instant now, int limit) {
        return LocksTable.retryQueue(table.items(BATCHES), UNQUEUED, now.toString(), limit);
    }

    List<BatchDevice> devices(String batchId) {
        // Device keys sort between the batch's own item and its targets ("BATCH" < "DEVICE#..." < "SERIAL#..." <
        // "TARGETS").
        return LocksTable.call(() -> table.items(DEVICES).query(request -> request
                .queryConditional(QueryConditional.sortBetween(key(batchId, BatchDevice.BY_ID),
                        key(batchId, BatchDevice.BY_SERIAL + "~")))
                .consistentRead(true))
                .items().stream().toList());
    }

    Optional<BatchDevice> device(String batchId, String key) {
        return LocksTable.call(() -> Optional.ofNullable(table.items(DEVICES).getItem(request -> request
                .key(key(batchId, key))
                .consistentRead(true))));
    }

    void save(BatchDevice device) {
        LocksTable.call(() -> {
            table.items(DEVICES).putItem(device);
            return null;
        });
    }

    private static String partition(String batchId) {
        return "BATCH#" + batchId;
    }

    /** The key of the batch's item sorted under {@code sortKey} (its header, its targets or one of its devices). */
    private static Key key(String batchId, String sortKey) {
        return Key.builder().partitionValue(partition(batchId)).sortValue(sortKey).build();
    }

    private static TableSchema<LockBatch> batchSchema() {
        var schema = StaticImmutableTableSchema.builder(LockBatch.class, ItemFields.class)
                .newItemBuilder(ItemFields::new, BatchStore::toBatch);
        attribute(schema, String.class, "pk", b -> partition(b.batchId()), primaryPartitionKey());
        attribute(schema, String.class, "sk", b -> HEADER, primarySortKey());
        attribute(schema, String.class, "batchId", LockBatch::batchId);
        attribute(schema, String.class, "requestedBy", LockBatch::requestedBy);
        attribute(schema, String.class, "requestedById", LockBatch::requestedById);
        attribute(schema, String.class, "reason", LockBatch::reason);
        attribute(schema, String.class, "targetKind", LockBatch::targetKind);
        attribute(schema, String.class, "user", LockBatch::user);
        attribute(schema, String.class, "platforms", b -> b.platforms().stream().map(Platform::name)
                .collect(Collectors.joining(",")));
        attribute(schema, Boolean.class, "dryRun", LockBatch::dryRun);
        attribute(schema, Integer.class, "total", LockBatch::total);
        attribute(schema, Instant.class, "createdAt", LockBatch::createdAt);
        attribute(schema, Instant.class, "queuedAt", LockBatch::queuedAt);
        attribute(schema, Long.class, LocksTable.TTL_ATTRIBUTE, b -> b.createdAt().plus(KEPT).getEpochSecond());
        // Sparse index keys: only a batch whose work is not on the queue yet is in the sweep's work list.
        attribute(schema, String.class, "retryQueue", b -> b.queuedAt() == null ? UNQUEUED : null,
                secondaryPartitionKey(LocksTable.RETRY_QUEUE_INDEX));
        attribute(schema, String.class, "nextAttemptAt", b -> b.queuedAt() == null
                ? b.createdAt().plus(QUEUEING_GRACE).toString() : null, secondarySortKey(LocksTable.RETRY_QUEUE_INDEX));
        return schema.build();
    }

    private static LockBatch toBatch(ItemFields f) {
        String platforms = f.get("platforms");
        Set<Platform> chosen = EnumSet.noneOf(Platform.class);
        if (platforms != null && !platforms.isEmpty()) {
            Arrays.stream(platforms.split(",")).map(Platform::valueOf).forEach(chosen::add);
        }
        Boolean dryRun = f.get("dryRun");
        return new LockBatch(f.get("batchId"), f.get("requestedBy"), f.get("requestedById"), f.get("reason"),
                f.get("targetKind"), f.get("user"), chosen, Boolean.TRUE.equals(dryRun), f.getInt("total", 0),
                f.get("createdAt"), f.get("queuedAt"));
    }

    private static TableSchema<BatchDevice> deviceSchema() {
        var schema = StaticImmutableTableSchema.builder(BatchDevice.class, ItemFields.class)
                .newItemBuilder(ItemFields::new, BatchStore::toDevice);
        attribute(schema, String.class, "pk", d -> partition(d.batchId()), primaryPartitionKey());
        attribute(schema, String.class, "sk", BatchDevice::key, primarySortKey());
        attribute(schema, String.class, "batchId", BatchDevice::batchId);
        attribute(schema, String.class, "deviceId", BatchDevice::deviceId);
        attribute(schema, String.class, "serialNumber", BatchDevice::serialNumber);
        attribute(schema, String.class, "deviceName", BatchDevice::deviceName);
        attribute(schema, String.class, "platform", d -> d.platform() == null ? null : d.platform().name());
        attribute(schema, String.class, "state", d -> d.state().name());
        attribute(schema, String.class, "lockId", BatchDevice::lockId);
        attribute(schema, String.class, "lockStatus", BatchDevice::lockStatus);
        attribute(schema, String.class, "code", BatchDevice::code);
        attribute(schema, String.class, "message", BatchDevice::message);
        attribute(schema, Instant.class, "updatedAt", BatchDevice::updatedAt);
        attribute(schema, Instant.class, "settledAt", BatchDevice::settledAt);
        attribute(schema, Long.class, LocksTable.TTL_ATTRIBUTE, d -> d.updatedAt().plus(KEPT).getEpochSecond());
        return schema.build();
    }

    private static TableSchema<Targets> targetsSchema() {
        var schema = StaticImmutableTableSchema.builder(Targets.class, ItemFields.class)
                .newItemBuilder(ItemFields::new, f -> new Targets(f.get("batchId"),
                        List.of(f.<String>get("keys").split(KEY_SEPARATOR)), f.get("createdAt")));
        attribute(schema, String.class, "pk", t -> partition(t.batchId()), primaryPartitionKey());
        attribute(schema, String.class, "sk", t -> TARGETS, primarySortKey());
        attribute(schema, String.class, "batchId", Targets::batchId);
        attribute(schema, String.class, "keys", t -> String.join(KEY_SEPARATOR, t.keys()));
        attribute(schema, Instant.class, "createdAt", Targets::createdAt);
        attribute(schema, Long.class, LocksTable.TTL_ATTRIBUTE, t -> t.createdAt().plus(KEPT).getEpochSecond());
        return schema.build();
    }

    private static BatchDevice toDevice(ItemFields f) {
        String platform = f.get("platform");
        return new BatchDevice(f.get("batchId"), f.get("deviceId"), f.get("serialNumber"), f.get("deviceName"),
                platform == null ? null : Platform.valueOf(platform), DeviceState.valueOf(f.get("state")),
                f.get("lockId"), f.get("lockStatus"), f.get("code"), f.get("message"), f.get("updatedAt"),
                f.get("settledAt"));
    }
}
