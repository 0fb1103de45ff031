package dev.intunelock.storage;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * A short log of moments (epoch milliseconds, ascending) shared by every Lambda instance in one {@link LocksTable}
 * item ({@code pk <name>}, {@code sk LOG}), with a moment before which nothing may be added ({@code pausedUntil}).
 * A writer replaces the moments only on top of the version it read (optimistic concurrency: of two instances that
 * read the same version, one writes and the other reads again). Used for the Graph write budget.
 */
@ApplicationScoped
public class MomentLog {

    /** The log as read: its version (0 when there is no item yet), moments and pause. */
    public record Snapshot(long version, long[] moments, long pausedUntil) {

        public static final Snapshot EMPTY = new Snapshot(0, new long[0], 0);
    }

    private static final String SORT_KEY = "LOG";

    private final DynamoDbClient dynamo;
    private final LocksTable table;

    MomentLog(DynamoDbClient dynamo, LocksTable table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    public Snapshot read(String name) {
        GetItemResponse item = LocksTable.call(() -> dynamo.getItem(get -> get.tableName(table.name())
                .key(key(name)).consistentRead(true)));
        if (!item.hasItem() || !item.item().containsKey("version")) {
            return Snapshot.EMPTY;
        }
        Map<String, AttributeValue> fields = item.item();
        AttributeValue moments = fields.get("moments");
        AttributeValue paused = fields.get("pausedUntil");
        return new Snapshot(Long.parseLong(fields.get("version").n()),
                moments == null ? new long[0] : decode(moments.b().asByteArray()),
                paused == null ? 0 : Long.parseLong(paused.n()));
    }

    /**
     * Replaces the moments, unless the log has changed since {@code read} (then false: read it again). The item
     * expires at {@code expiresAt}, long after its moments matter.
     */
    public boolean replace(String name, Snapshot read, long[] moments, Instant expiresAt) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":moments", AttributeValue.fromB(SdkBytes.fromByteArray(encode(moments))));
        values.put(":next", LocksTable.number(read.version() + 1));
        values.put(":ttl", LocksTable.number(expiresAt.getEpochSecond()));
        if (read.version() > 0) {
            values.put(":read", LocksTable.number(read.version()));
        }
        UpdateItemRequest replace = UpdateItemRequest.builder()
                .tableName(table.name())
                .key(key(name))
                .updateExpression("SET moments = :moments, version = :next, #ttl = :ttl")
                .conditionExpression(read.version() > 0 ? "version = :read" : "attribute_not_exists(version)")
                .expressionAttributeNames(Map.of("#ttl", LocksTable.TTL_ATTRIBUTE))
                .expressionAttributeValues(values)
                .build();
        try {
            LocksTable.call(() -> dynamo.updateItem(replace));
            return true;
        } catch (ConditionalCheckFailedException changed) {
            return false;
        }
    }

    /** Nothing may be added before {@code until} (a later pause stands); writers that read before must read again. */
    public void pauseUntil(String name, long until, Instant expiresAt) {
        UpdateItemRequest pause = UpdateItemRequest.builder()
                .tableName(table.name())
                .key(key(name))
                .updateExpression("SET pausedUntil = :until, #ttl = :ttl ADD version :one")
                .conditionExpression("attribute_not_exists(pausedUntil) OR pausedUntil < :until")
                .expressionAttributeNames(Map.of("#ttl", LocksTable.TTL_ATTRIBUTE))
                .expressionAttributeValues(Map.of(":until", LocksTable.number(until), ":one", LocksTable.number(1),
                        ":ttl", LocksTable.number(expiresAt.getEpochSecond())))
                .build();
        try {
            LocksTable.call(() -> dynamo.updateItem(pause));
        } catch (ConditionalCheckFailedException longerAlready) {
            // A pause that ends later is already there.
        }
    }

    public static Map<String, AttributeValue> key(String name) {
        return Map.of(LocksTable.PARTITION_KEY, AttributeValue.fromS(name),
                LocksTable.SORT_KEY, AttributeValue.fromS(SORT_KEY));
    }

    /** Eight bytes per moment: 200 moments are 1.6 KB, two write units. */
    public static byte[] encode(long[] moments) {
        ByteBuffer bytes = ByteBuffer.allocate(moments.length * Long.BYTES);
        for (long moment : moments) {
            bytes.putLong(moment);
        }
        return bytes.array();
    }

    static long[] decode(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        long[] moments = new long[bytes.length / Long.BYTES];
        for (int i = 0; i < moments.length; i++) {
            moments[i] = buffer.getLong();
        }
        return moments;
    }
}
