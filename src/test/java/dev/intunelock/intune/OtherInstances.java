package dev.intunelock.intune;

import java.util.Map;

import dev.intunelock.storage.LocksTable;
import dev.intunelock.storage.MomentLog;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Graph writes other instances of the function made, as they leave them in the shared log of the write budget. */
final class OtherInstances {

    private OtherInstances() {
    }

    /** Other instances sent commands at these moments (epoch millis, ascending), and nothing else lately. */
    static void haveWritten(DynamoDbClient dynamo, long... moments) {
        dynamo.putItem(put -> put.tableName("LocksTable").item(Map.of(
                LocksTable.PARTITION_KEY, MomentLog.key("GRAPH_WRITES").get(LocksTable.PARTITION_KEY),
                LocksTable.SORT_KEY, MomentLog.key("GRAPH_WRITES").get(LocksTable.SORT_KEY),
                // A version this instance cannot have seen: it must read the log again.
                "version", AttributeValue.fromN(Long.toString(System.currentTimeMillis() * 1000)),
                "moments", AttributeValue.fromB(SdkBytes.fromByteArray(MomentLog.encode(moments))))));
    }
}
