package dev.intunelock.webhook;

import static dev.intunelock.storage.ItemFields.attribute;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.intunelock.storage.ItemFields;
import dev.intunelock.storage.LocksTable;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticImmutableTableSchema;

/**
 * Remembered deliveries: what each alert of a sender came to, so that a redelivery gets the same answer and
 * sends nothing new. Kept {@link #REMEMBERED} (the table's TTL deletes them after).
 */
@ApplicationScoped
public class DeliveryStore {

    static final Duration REMEMBERED = Duration.ofDays(7);

    record Delivery(String source, String deliveryKey, AlertOutcome outcome, Instant at) {
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
    AlertOutcome remember(String source, String deliveryKey, AlertOutcome outcome, Instant now) {
        boolean first = LocksTable.putIf(items(), Delivery.class, new Delivery(source, deliveryKey, outcome, now),
                Expression.builder().expression("attribute_not_exists(pk)").build());
        return first ? outcome : find(source, deliveryKey).orElse(outcome);
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
                .newItemBuilder(ItemFields::new, f -> new Delivery(f.get("source"), f.get("deliveryKey"),
                        new AlertOutcome(f.get("alertId"), AlertOutcome.Result.valueOf(f.get("result")),
                                f.get("deviceId"), f.get("lockId"), f.get("lockStatus"), f.get("reason"),
                                f.get("count")),
                        f.get("at")));
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
        attribute(schema, Instant.class, "at", Delivery::at);
        attribute(schema, Long.class, "ttlEpochSeconds", d -> d.at().plus(REMEMBERED).getEpochSecond());
        return schema.build();
    }
}
