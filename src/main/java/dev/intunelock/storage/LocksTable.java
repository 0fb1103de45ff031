package dev.intunelock.storage;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;

/**
 * The one DynamoDB table of template.yaml ({@code LocksTable}, name from {@code LOCKS_TABLE}). Items of every
 * feature share it, told apart by their {@code pk}/{@code sk} prefixes; {@code ttlEpochSeconds} is its TTL attribute.
 */
@ApplicationScoped
public class LocksTable {

    public static final String PARTITION_KEY = "pk";
    public static final String SORT_KEY = "sk";
    public static final String RETRY_QUEUE_INDEX = "RetryQueue";

    private final DynamoDbEnhancedClient client;
    private final String tableName;

    LocksTable(DynamoDbEnhancedClient client, @ConfigProperty(name = "locks.table") String tableName) {
        this.client = client;
        this.tableName = tableName;
    }

    public <T> DynamoDbTable<T> items(TableSchema<T> schema) {
        return client.table(tableName, schema);
    }
}
