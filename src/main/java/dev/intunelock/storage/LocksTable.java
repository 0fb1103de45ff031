package dev.intunelock.storage;

import java.util.List;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.WriteBatch;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The one DynamoDB table of template.yaml ({@code LocksTable}, name from {@code LOCKS_TABLE}). Items of every
 * feature share it, told apart by their {@code pk}/{@code sk} prefixes; {@code ttlEpochSeconds} is its TTL attribute.
 */
@ApplicationScoped
public class LocksTable {

    public static final String PARTITION_KEY = "pk";
    public static final String SORT_KEY = "sk";
    public static final String RETRY_QUEUE_INDEX = "RetryQueue";
    public static final String TTL_ATTRIBUTE = "ttlEpochSeconds";
    private static final int WRITE_BATCH = 25;

    private final DynamoDbEnhancedClient client;
    private final String tableName;

    LocksTable(DynamoDbEnhancedClient client, @ConfigProperty(name = "locks.table") String tableName) {
        this.client = client;
        this.tableName = tableName;
    }

    /** For the few writes the enhanced client cannot express (an atomic ADD), made with the plain client. */
    public String name() {
        return tableName;
    }

    public <T> DynamoDbTable<T> items(TableSchema<T> schema) {
        return client.table(tableName, schema);
    }

    /** A conditional put: true if written, false if the condition did not hold. */
    public static <T> boolean putIf(DynamoDbTable<T> items, Class<T> type, T item, Expression condition) {
        return call(() -> {
            try {
                items.putItem(PutItemEnhancedRequest.builder(type).item(item).conditionExpression(condition).build());
                return true;
            } catch (ConditionalCheckFailedException lost) {
                return false;
            }
        });
    }

    /** Puts every item (DynamoDB batches of 25); items DynamoDB leaves unprocessed are put again, a few times. */
    public <T> void putAll(TableSchema<T> schema, Class<T> type, List<T> all) {
        DynamoDbTable<T> items = items(schema);
        for (int from = 0; from < all.size(); from += WRITE_BATCH) {
            putBatch(items, type, all.subList(from, Math.min(all.size(), from + WRITE_BATCH)));
        }
    }

    private <T> void putBatch(DynamoDbTable<T> items, Class<T> type, List<T> batch) {
        List<T> left = batch;
        for (int round = 0; !left.isEmpty(); round++) {
            if (round == 5) {
                throw new StorageUnavailableException("The lock store left " + left.size()
                        + " items unwritten after 5 tries", null);
            }
            pauseBefore(round);
            WriteBatch.Builder<T> write = WriteBatch.builder(type).mappedTableResource(items);
            left.forEach(write::addPutItem);
            left = call(() -> client.batchWriteItem(request -> request.addWriteBatch(write.build())))
                    .unprocessedPutItemsForTable(items);
        }
    }

    private static void pauseBefore(int round) {
        if (round > 0) {
            try {
                Thread.sleep(50L << round);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new StorageUnavailableException("Interrupted while writing to the lock store", interrupted);
            }
        }
    }

    /** The items of one work list of the {@value #RETRY_QUEUE_INDEX} index, in its sort order, at most {@code limit}. */
    public static <T> List<T> retryQueue(DynamoDbTable<T> items, String partition, int limit) {
        return retryQueue(items, QueryConditional.keyEqualTo(Key.builder().partitionValue(partition).build()), limit);
    }

    /** The same, only the items whose sort key is at most {@code upTo}. */
    public static <T> List<T> retryQueue(DynamoDbTable<T> items, String partition, String upTo, int limit) {
        return retryQueue(items, QueryConditional.sortLessThanOrEqualTo(
                Key.builder().partitionValue(partition).sortValue(upTo).build()), limit);
    }

    private static <T> List<T> retryQueue(DynamoDbTable<T> items, QueryConditional condition, int limit) {
        return call(() -> items.index(RETRY_QUEUE_INDEX)
                .query(QueryEnhancedRequest.builder()
                        .queryConditional(condition)
                        .limit(limit)
                        .build())
                .stream()
                .flatMap(page -> page.items().stream())
                .limit(limit)
                .toList());
    }

    /** Runs a store operation; an unreachable or failing store becomes {@link StorageUnavailableException}. */
    public static <T> T call(Supplier<T> operation) {
        try {
            return operation.get();
        } catch (ConditionalCheckFailedException decided) {
            throw decided;
        } catch (SdkException failure) {
            throw new StorageUnavailableException("The lock store is unavailable: " + failure.getMessage(), failure);
        }
    }

    /** A DynamoDB number attribute. */
    static AttributeValue number(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
