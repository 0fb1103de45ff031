package dev.intunelock.selfservice;

import java.time.Instant;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.intunelock.storage.LocksTable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Self-service lock counters in {@link LocksTable}: one item per user and window ({@code pk SELFSERVICE#<object id>},
 * {@code sk LOCKS#<window start>}), counted up with one conditional ADD, so that every Lambda instance sees the same
 * count and concurrent requests cannot both take the last slot. The item expires (TTL) when its window ends; a later
 * window has another key, so an expired item that DynamoDB has not deleted yet is never read again.
 */
@ApplicationScoped
class LockCounterStore {

    static final String TTL_ATTRIBUTE = "ttlEpochSeconds";

    private final DynamoDbClient dynamo;
    private final LocksTable table;

    LockCounterStore(DynamoDbClient dynamo, LocksTable table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** Adds one to the user's count for the window, unless it has reached {@code limit}; false then. */
    boolean countIfBelow(String user, Instant windowStart, Instant windowEnd, int limit) {
        UpdateItemRequest add = UpdateItemRequest.builder()
                .tableName(table.name())
                .key(key(user, windowStart))
                .updateExpression("ADD #count :one SET #ttl = :ttl, #user = :user")
                .conditionExpression("attribute_not_exists(#count) OR #count < :limit")
                .expressionAttributeNames(Map.of("#count", "lockCount", "#ttl", TTL_ATTRIBUTE, "#user", "user"))
                .expressionAttributeValues(Map.of(
                        ":one", number(1),
                        ":limit", number(limit),
                        ":ttl", number(windowEnd.getEpochSecond()),
                        ":user", AttributeValue.fromS(user)))
                .build();
        try {
            LocksTable.call(() -> dynamo.updateItem(add));
            return true;
        } catch (ConditionalCheckFailedException full) {
            return false;
        }
    }

    static Map<String, AttributeValue> key(String user, Instant windowStart) {
        return Map.of(LocksTable.PARTITION_KEY, AttributeValue.fromS("SELFSERVICE#" + user),
                LocksTable.SORT_KEY, AttributeValue.fromS("LOCKS#" + windowStart));
    }

    private static AttributeValue number(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
