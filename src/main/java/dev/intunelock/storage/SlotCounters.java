package dev.intunelock.storage;

import java.time.Instant;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Counters per time slot in {@link LocksTable}, shared by every Lambda instance: one item per slot
 * ({@code pk <counter>}, {@code sk SLOT#<slot start, epoch seconds>}), counted up with one conditional ADD so that
 * concurrent callers cannot both take the last place. Each item expires (TTL) when its caller says; a later slot has
 * another key, so an expired item DynamoDB has not deleted yet is never read again. Used for the self-service lock
 * allowance.
 */
@ApplicationScoped
public class SlotCounters {

    public static final String COUNT = "taken";

    private final DynamoDbClient dynamo;
    private final LocksTable table;

    SlotCounters(DynamoDbClient dynamo, LocksTable table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** Takes one place in the slot unless {@code cap} are taken; false then. */
    public boolean takeIfBelow(String counter, Instant slotStart, Instant expiresAt, int cap) {
        UpdateItemRequest take = UpdateItemRequest.builder()
                .tableName(table.name())
                .key(key(counter, slotStart))
                .updateExpression("ADD #count :one SET #ttl = :ttl")
                .conditionExpression("attribute_not_exists(#count) OR #count < :cap")
                .expressionAttributeNames(Map.of("#count", COUNT, "#ttl", LocksTable.TTL_ATTRIBUTE))
                .expressionAttributeValues(Map.of(":one", LocksTable.number(1), ":cap", LocksTable.number(cap),
                        ":ttl", LocksTable.number(expiresAt.getEpochSecond())))
                .build();
        try {
            LocksTable.call(() -> dynamo.updateItem(take));
            return true;
        } catch (ConditionalCheckFailedException full) {
            return false;
        }
    }

    public static Map<String, AttributeValue> key(String counter, Instant slotStart) {
        return Map.of(LocksTable.PARTITION_KEY, AttributeValue.fromS(counter),
                LocksTable.SORT_KEY, AttributeValue.fromS("SLOT#" + slotStart.getEpochSecond()));
    }
}
