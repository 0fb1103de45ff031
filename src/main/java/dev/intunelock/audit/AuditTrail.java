package dev.intunelock.audit;

import static dev.intunelock.storage.ItemFields.attribute;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondarySortKey;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.intunelock.audit.AuditCursor.Position;
import dev.intunelock.metrics.Metrics;
import dev.intunelock.storage.ItemFields;
import dev.intunelock.storage.LocksTable;
import dev.intunelock.storage.SortableTime;
import dev.intunelock.storage.StorageUnavailableException;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticImmutableTableSchema;
import software.amazon.awssdk.enhanced.dynamodb.model.Page;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The audit trail, in a table of its own ({@code AuditTable}, name from {@code AUDIT_TABLE}) that the function may
 * only add to and query (template.yaml denies it updates and deletes). Events are kept per device
 * ({@code pk DEVICE#<deviceId>}, {@code sk <at>#<id>} with the time at a fixed width, so that they sort by time even
 * within one second) and, when the actor has an Entra object id, also listed by actor (index {@value #BY_ACTOR}).
 * Each is written once, on the condition that it does not exist, and kept {@link #KEPT} (TTL).
 */
@ApplicationScoped
public class AuditTrail {

    private static final Logger LOG = Logger.getLogger(AuditTrail.class);
    static final Duration KEPT = Duration.ofDays(365);
    static final String BY_ACTOR = "ByActor";
    private static final TableSchema<AuditEvent> SCHEMA = schema();

    private final DynamoDbEnhancedClient client;
    private final String tableName;

    AuditTrail(DynamoDbEnhancedClient client, @ConfigProperty(name = "audit.table") String tableName) {
        this.client = client;
        this.tableName = tableName;
    }

    /**
     * Appends an event; false if an event with its id exists already (it is never overwritten). A store failure is
     * {@link StorageUnavailableException}: what needed the record (serving a PIN) does not happen.
     */
    public boolean record(AuditEvent event) {
        return LocksTable.putIf(items(), AuditEvent.class, event,
                Expression.builder().expression("attribute_not_exists(pk)").build());
    }

    /** Appends an event about something already done (a lock step): a store failure is logged and counted, not thrown. */
    public void recordDone(AuditEvent event) {
        try {
            record(event);
        } catch (StorageUnavailableException failure) {
            Metrics.count(Metrics.AUDIT_WRITE_FAILURES);
            LOG.errorf("Audit event %s %s of device %s (lock %s) could not be written: %s", event.action(),
                    event.outcome(), event.deviceId(), event.lockId(), failure.getMessage());
        }
    }

    /** One page of events, newest first, and the cursor of the next page (null after the last). */
    public record EventPage(List<AuditEvent> events, String next) {
    }

    /**
     * A device's events, newest first, {@code limit} at a time. {@code cursor} is the previous page's {@code next}
     * (null for the first page); one that is not is {@link IllegalArgumentException}.
     */
    public EventPage ofDevice(String deviceId, int limit, String cursor) {
        QueryEnhancedRequest.Builder query = newestFirst(limit)
                .queryConditional(QueryConditional.keyEqualTo(Key.builder().partitionValue(device(deviceId)).build()));
        if (cursor != null) {
            Position after = AuditCursor.position(cursor);
            if (!after.deviceId().equals(deviceId)) {
                throw new IllegalArgumentException("a cursor of another device's trail");
            }
            query.exclusiveStartKey(tableKey(after));
        }
        return page(items().query(query.build()), limit);
    }

    /** What one actor (Entra object id) did since {@code since}, newest first, paged like {@link #ofDevice}. */
    public EventPage ofActor(String actorId, Instant since, int limit, String cursor) {
        QueryEnhancedRequest.Builder query = newestFirst(limit).queryConditional(QueryConditional.sortGreaterThanOrEqualTo(
                Key.builder().partitionValue(actor(actorId)).sortValue(SortableTime.of(since)).build()));
        if (cursor != null) {
            Map<String, AttributeValue> start = new HashMap<>(tableKey(AuditCursor.position(cursor)));
            start.put("actorKey", AttributeValue.fromS(actor(actorId)));
            query.exclusiveStartKey(start);
        }
        return page(items().index(BY_ACTOR).query(query.build()), limit);
    }

    /** The device's events, oldest first. */
    public List<AuditEvent> forDevice(String deviceId) {
        return LocksTable.call(() -> items()
                .query(QueryConditional.keyEqualTo(Key.builder().partitionValue(device(deviceId)).build()))
                .items().stream().toList());
    }

    private static QueryEnhancedRequest.Builder newestFirst(int limit) {
        return QueryEnhancedRequest.builder().scanIndexForward(false).limit(limit);
    }

    private static EventPage page(Iterable<Page<AuditEvent>> pages, int limit) {
        Page<AuditEvent> page = LocksTable.call(() -> pages.iterator().next());
        List<AuditEvent> events = page.items();
        boolean more = page.lastEvaluatedKey() != null && events.size() == limit;
        AuditEvent last = more ? events.get(events.size() - 1) : null;
        return new EventPage(events, last == null ? null
                : AuditCursor.of(new Position(last.deviceId(), sortKey(last))));
    }

    private DynamoDbTable<AuditEvent> items() {
        return client.table(tableName, SCHEMA);
    }

    private static Map<String, AttributeValue> tableKey(Position position) {
        return Map.of("pk", AttributeValue.fromS(device(position.deviceId())),
                "sk", AttributeValue.fromS(position.sortKey()));
    }

    private static TableSchema<AuditEvent> schema() {
        var schema = StaticImmutableTableSchema.builder(AuditEvent.class, ItemFields.class)
                .newItemBuilder(ItemFields::new, f -> new AuditEvent(f.get("id"), f.get("deviceId"), f.get("lockId"),
                        f.get("actor"), f.get("actorId"), f.get("channel"), f.get("action"), f.get("outcome"),
                        f.get("reason"), f.get("at")));
        attribute(schema, String.class, "pk", e -> device(e.deviceId()), primaryPartitionKey());
        attribute(schema, String.class, "sk", AuditTrail::sortKey, primarySortKey(),
                secondarySortKey(BY_ACTOR));
        attribute(schema, String.class, "actorKey", e -> e.actorId() == null ? null : actor(e.actorId()),
                secondaryPartitionKey(BY_ACTOR));
        attribute(schema, String.class, "id", AuditEvent::id);
        attribute(schema, String.class, "deviceId", AuditEvent::deviceId);
        attribute(schema, String.class, "lockId", AuditEvent::lockId);
        attribute(schema, String.class, "actor", AuditEvent::actor);
        attribute(schema, String.class, "actorId", AuditEvent::actorId);
        attribute(schema, String.class, "channel", AuditEvent::channel);
        attribute(schema, String.class, "action", AuditEvent::action);
        attribute(schema, String.class, "outcome", AuditEvent::outcome);
        attribute(schema, String.class, "reason", AuditEvent::reason);
        attribute(schema, Instant.class, "at", AuditEvent::at);
        attribute(schema, Long.class, "ttlEpochSeconds", e -> e.at().plus(KEPT).getEpochSecond());
        return schema.build();
    }

    private static String device(String deviceId) {
        return "DEVICE#" + deviceId;
    }

    private static String actor(String actorId) {
        return "ACTOR#" + actorId;
    }

    private static String sortKey(AuditEvent event) {
        return sortKey(event.at()) + "#" + event.id();
    }

    /** The time part of an event's sort key: lexical order is time order. */
    static String sortKey(Instant at) {
        return SortableTime.of(at);
    }
}
