package dev.intunelock.testing.iam;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One request IAM authorises: an action ({@code dynamodb:PutItem}) on one resource (an ARN), with the condition keys
 * the request carries ({@code kms:EncryptionContext:purpose}, {@code dynamodb:LeadingKeys}). A batch or transaction
 * is several: one per table it touches. {@code unknownKeys} are keys IAM would see but this recorder does not work
 * out; a statement that conditions on one of them cannot be evaluated here and fails the check instead of guessing.
 */
public record AwsCall(String action, String resource, Map<String, List<String>> context, Set<String> unknownKeys) {

    public AwsCall {
        context = Map.copyOf(context);
        unknownKeys = Set.copyOf(unknownKeys);
    }

    public static AwsCall of(String action, String resource) {
        return new AwsCall(action, resource, Map.of(), Set.of());
    }

    public AwsCall with(String key, List<String> values) {
        Map<String, List<String>> more = new java.util.HashMap<>(context);
        more.put(key, List.copyOf(values));
        return new AwsCall(action, resource, more, unknownKeys);
    }

    public AwsCall unknown(String key) {
        Set<String> more = new java.util.HashSet<>(unknownKeys);
        more.add(key);
        return new AwsCall(action, resource, context, more);
    }

    @Override
    public String toString() {
        return action + " on " + resource + (context.isEmpty() ? "" : " with " + context);
    }
}
