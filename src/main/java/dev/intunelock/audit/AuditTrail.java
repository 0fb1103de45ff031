package dev.intunelock.audit;

import static dev.intunelock.storage.ItemFields.attribute;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.intunelock.storage.ItemFields;
import dev.intunelock.storage.LocksTable;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticImmutableTableSchema;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;

/**
 * The audit trail of sensitive operations (PIN reads granted or refused, unlock confirmations, forced re-locks),
 * append-only, per device ({@code pk AUDIT#<deviceId>}, {@code sk <at>#<id>} with the time at a fixed width, so that
 * events sort by time even within one second), kept {@link #KEPT} (the table's TTL attribute).
 */
@ApplicationScoped
public class AuditTrail {

    static final Duration KEPT = Duration.ofDays(365);
    /** Always nine fraction digits: {@code Instant.toString()} drops them at whole seconds, which sorts wrongly. */
    private static final DateTimeFormatter SORTABLE_TIME = DateTimeFormatter
            .ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);
    private static final TableSchema<AuditEvent> SCHEMA = schema();

    private final LocksTable table;

    AuditTrail(LocksTable table) {
        this.table = table;
    }

    public void record(AuditEvent event) {
        LocksTable.putIf(items(), AuditEvent.class, event,
                Expression.builder().expression("attribute_not_exists(pk)").build());
    }

    /** The device's events, oldest first. */
    public List<AuditEvent> forDevice(String deviceId) {
        return LocksTable.call(() -> items()
                .query(QueryConditional.keyEqualTo(Key.builder().partitionValue("AUDIT#" + deviceId).build()))
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
        attribute(schema, String.class, "pk", e -> "AUDIT#" + e.deviceId(), primaryPartitionKey());
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

    /** The time part of an event's sort key: lexical order is time order. */
    static String sortKey(Instant at) {
        return SORTABLE_TIME.format(at);
    }
}
