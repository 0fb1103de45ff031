package dev.intunelock.audit;

import static dev.intunelock.storage.ItemFields.attribute;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.intunelock.storage.ItemFields;
import dev.intunelock.storage.LocksTable;
import dev.intunelock.storage.SortableTime;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticImmutableTableSchema;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The audit trail of sensitive operations (PIN reads granted or refused, unlock confirmations, forced re-locks),
 * append-only, per device ({@code pk AUDIT#<deviceId>}, {@code sk <at>#<id>} with the time at a fixed width, so that
 * events sort by time even within one second), kept {@link #KEPT} (the table's TTL attribute).
 */
@ApplicationScoped
public class AuditTrail {

    static final Duration KEPT = Duration.ofDays(365);
    private static final TableSchema<AuditEvent> SCHEMA = schema();

    private final LocksTable table;

    AuditTrail(LocksTable table) {
        this.table = table;
    }

    public void record(AuditEvent event) {
        LocksTable.putIf(items(), AuditEvent.class, event,
                Expression.builder().expression("attribute_not_exists(pk)").build());
    }

    /** One page of a device's events, newest first, and the cursor of the next page (null after the last). */
    public record Page(List<AuditEvent> events, String next) {
    }

    /**
     * A device's events, newest first, {@code limit} at a time. {@code cursor} is the previous page's {@code next}
     * (null for the first page); one that is not is {@link IllegalArgumentException}.
     */
    public Page page(String deviceId, int limit, String cursor) {
        QueryEnhancedRequest.Builder query = QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.keyEqualTo(Key.builder().partitionValue(partition(deviceId)).build()))
                .scanIndexForward(false)
                .limit(limit);
        if (cursor != null) {
            query.exclusiveStartKey(Map.of("pk", AttributeValue.fromS(partition(deviceId)),
                    "sk", AttributeValue.fromS(AuditCursor.sortKey(cursor))));
        }
        software.amazon.awssdk.enhanced.dynamodb.model.Page<AuditEvent> page = LocksTable.call(
                () -> items().query(query.build()).iterator().next());
        Map<String, AttributeValue> last = page.lastEvaluatedKey();
        return new Page(page.items(), last == null || page.items().size() < limit ? null
                : AuditCursor.of(last.get("sk").s()));
    }

    /** The device's events, oldest first. */
    public List<AuditEvent> forDevice(String deviceId) {
        return LocksTable.call(() -> items()
                .query(QueryConditional.keyEqualTo(Key.builder().partitionValue(partition(deviceId)).build()))
                .items().stream().toList());
    }

    private DynamoDbTable<AuditEvent> items() {
        return table.items(SCHEMA);
    }

    private static TableSchema<AuditEvent> schema() {
        var schema = StaticImmutableTableSchema.builder(AuditEvent.class, ItemFields.class)
                .newItemBuilder(ItemFields::new, f -> new AuditEvent(f.get("deviceId"), f.get("lockId"),
                        f.get("actor"), f.get("actorId"), f.get("action"), f.get("outcome"), f.get("detail"),
                        f.get("at")));
        attribute(schema, String.class, "pk", e -> partition(e.deviceId()), primaryPartitionKey());
        attribute(schema, String.class, "sk", e -> sortKey(e.at()) + "#" + UUID.randomUUID(), primarySortKey());
        attribute(schema, String.class, "deviceId", AuditEvent::deviceId);
        attribute(schema, String.class, "lockId", AuditEvent::lockId);
        attribute(schema, String.class, "actor", AuditEvent::actor);
        attribute(schema, String.class, "actorId", AuditEvent::actorId);
        attribute(schema, String.class, "action", AuditEvent::action);
        attribute(schema, String.class, "outcome", AuditEvent::outcome);
        attribute(schema, String.class, "detail", AuditEvent::detail);
        attribute(schema, Instant.class, "at", AuditEvent::at);
        attribute(schema, Long.class, "ttlEpochSeconds", e -> e.at().plus(KEPT).getEpochSecond());
        return schema.build();
    }

    private static String partition(String deviceId) {
        return "AUDIT#" + deviceId;
    }

    /** The time part of an event's sort key: lexical order is time order. */
    static String sortKey(Instant at) {
        return SortableTime.of(at);
    }
}
