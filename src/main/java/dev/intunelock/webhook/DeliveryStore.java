package dev.intunelock.webhook;

import static dev.intunelock.storage.ItemFields.attribute;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondarySortKey;

import java.time.Duration;
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
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Remembered deliveries: what each alert of a sender came to, so that a redelivery gets the same answer and
 * sends nothing new. Kept {@link #REMEMBERED} (the table's TTL deletes them after). An alert the delivery had no time
 * for is remembered {@code queued}, with the device it names, and listed in the retry-queue index (partition
 * {@value #QUEUED_ALERTS}) until the retry sweep has handled it.
 */
@ApplicationScoped
public class DeliveryStore {

    static final Duration REMEMBERED = Duration.ofDays(7);
    static final String QUEUED_ALERTS = "ALERT";

    /** One alert of one sender; {@code device} and {@code summary} are kept while it is queued. */
    public record Delivery(String source, String deliveryKey, AlertOutcome outcome, Instant at, Alert.DeviceRef device,
            String summary) {

        boolean queued() {
            return outcome.result() == AlertOutcome.Result.QUEUED;
        }

        Alert alert() {
            return new Alert(outcome.alertId(), deliveryKey, true, null, device, summary);
        }
    }

    private static final TableSchema<Delivery> SCHEMA = schema();

    private final LocksTable table;

    DeliveryStore(LocksTable table) {
        this.table = table;
    }

    Optional<AlertOutcome> find(String source, String deliveryKey) {
        return LocksTable.call(() -> Optional.ofNullable(items().getItem(r -> r.key(key(source, deliveryKey))
                .consistentRead(true)))).map(Delivery::outcome);
    }

    /** Remembers the outcome unless a concurrent delivery did first; returns the one that stands. */
    AlertOutcome remember(String source, Alert alert, AlertOutcome outcome, Instant now) {
        boolean queued = outcome.result() == AlertOutcome.Result.QUEUED;
        Delivery delivery = new Delivery(source, alert.deliveryKey(), outcome, now, queued ? alert.device() : null,
                queued ? alert.summary() : null);
        boolean first = LocksTable.putIf(items(), Delivery.class, delivery,
                Expression.builder().expression("attribute_not_exists(pk)").build());
        return first ? outcome : find(source, alert.deliveryKey()).orElse(outcome);
    }

    /** Alerts still queued, oldest first (the retry sweep's work list). */
    List<Delivery> queued(int limit) {
        return LocksTable.retryQueue(items(), QUEUED_ALERTS, limit);
    }

    /** The queued alert's outcome, unless someone settled it first; returns the one that stands. */
    AlertOutcome settle(Delivery queued, AlertOutcome outcome) {
        boolean settled = LocksTable.putIf(items(), Delivery.class,
                new Delivery(queued.source(), queued.deliveryKey(), outcome, queued.at(), null, null),
                Expression.builder().expression("#result = :queued")
                        .putExpressionName("#result", "result")
                        .putExpressionValue(":queued", AttributeValue.fromS(AlertOutcome.Result.QUEUED.name()))
                        .build());
        return settled ? outcome : find(queued.source(), queued.deliveryKey()).orElse(outcome);
    }

    private DynamoDbTable<Delivery> items() {
        return table.items(SCHEMA);
    }

    private static Key key(String source, String deliveryKey) {
        return Key.builder().partitionValue(partition(source, deliveryKey)).sortValue("DELIVERY").build();
    }

    private static String partition(String source, String deliveryKey) {
        return "WEBHOOK#" + source + "#" + deliveryKey;
    }

    private static TableSchema<Delivery> schema() {
        var schema = StaticImmutableTableSchema.builder(Delivery.class, ItemFields.class)
                .newItemBuilder(ItemFields::new, DeliveryStore::toDelivery);
        attribute(schema, String.class, "pk", d -> partition(d.source(), d.deliveryKey()), primaryPartitionKey());
        attribute(schema, String.class, "sk", d -> "DELIVERY", primarySortKey());
        attribute(schema, String.class, "source", Delivery::source);
        attribute(schema, String.class, "deliveryKey", Delivery::deliveryKey);
        attribute(schema, String.class, "alertId", d -> d.outcome().alertId());
        attribute(schema, String.class, "result", d -> d.outcome().result().name());
        attribute(schema, String.class, "deviceId", d -> d.outcome().deviceId());
        attribute(schema, String.class, "lockId", d -> d.outcome().lockId());
        attribute(schema, String.class, "lockStatus", d -> d.outcome().lockStatus());
        attribute(schema, String.class, "reason", d -> d.outcome().reason());
        attribute(schema, Integer.class, "count", d -> d.outcome().count());
        attribute(schema, String.class, "batchId", d -> d.outcome().batchId());
        attribute(schema, Instant.class, "at", Delivery::at);
        attribute(schema, String.class, "deviceKind", d -> d.device() == null ? null : d.device().kind().name());
        attribute(schema, String.class, "deviceValue", d -> d.device() == null ? null : d.device().value());
        attribute(schema, String.class, "summary", Delivery::summary);
        attribute(schema, Long.class, "ttlEpochSeconds", d -> d.at().plus(REMEMBERED).getEpochSecond());
        // Sparse index keys: only a queued alert is in the sweep's work list.
        attribute(schema, String.class, "retryQueue", d -> d.queued() ? QUEUED_ALERTS : null,
                secondaryPartitionKey(LocksTable.RETRY_QUEUE_INDEX));
        attribute(schema, String.class, "nextAttemptAt", d -> d.queued() ? d.at().toString() : null,
                secondarySortKey(LocksTable.RETRY_QUEUE_INDEX));
        return schema.build();
    }

    private static Delivery toDelivery(ItemFields f) {
        String kind = f.get("deviceKind");
        return new Delivery(f.get("source"), f.get("deliveryKey"),
                new AlertOutcome(f.get("alertId"), AlertOutcome.Result.valueOf(f.get("result")), f.get("deviceId"),
                        f.get("lockId"), f.get("lockStatus"), f.get("reason"), f.get("count"), f.get("batchId")),
                f.get("at"), kind == null ? null : new Alert.DeviceRef(Alert.IdentityKind.valueOf(kind),
                        f.get("deviceValue")), f.get("summary"));
    }
}
