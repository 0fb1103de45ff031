package dev.intunelock.testing.iam;

import java.util.List;

/**
 * One statement of an identity policy, its intrinsics resolved: what it allows or denies and on what, under which
 * conditions. Matching follows IAM: actions case-insensitively, resources case-sensitively, both with wildcards; all
 * conditions must hold, a condition holds when any of its values matches. Elements this evaluator does not model
 * (NotAction, NotResource, other operators) fail loudly rather than being read as a match or a miss.
 */
public record PolicyStatement(String sid, boolean allows, List<String> actions, List<String> resources,
        List<Condition> conditions) {

    /** One condition: {@code operator} (e.g. {@code StringEquals}, {@code ForAllValues:StringLike}) on {@code key}. */
    public record Condition(String operator, String key, List<String> values) {

        boolean holdsFor(AwsCall call) {
            String qualifier = operator.contains(":") ? operator.substring(0, operator.indexOf(':')) : "";
            String test = operator.substring(qualifier.isEmpty() ? 0 : qualifier.length() + 1);
            boolean like = switch (test) {
                case "StringEquals" -> false;
                case "StringLike" -> true;
                default -> throw new UnsupportedOperationException("The policy check does not model the condition "
                        + "operator " + operator + " (on " + key + "); teach PolicyStatement.Condition first");
            };
            String contextKey = call.context().keySet().stream().filter(k -> k.equalsIgnoreCase(key)).findFirst()
                    .orElse(null);
            if (contextKey == null && call.unknownKeys().stream().anyMatch(k -> k.equalsIgnoreCase(key))) {
                throw new UnsupportedOperationException("A statement conditions " + call.action() + " on " + key
                        + ", which the recorder does not work out for this call; teach FunctionCallRecorder first");
            }
            List<String> present = contextKey == null ? List.of() : call.context().get(contextKey);
            return switch (qualifier) {
                // IAM: every value in the request must match; a request without the key matches.
                case "ForAllValues" -> present.stream().allMatch(value -> anyMatches(value, like));
                // Single-valued and ForAnyValue: some value must match; a request without the key does not.
                case "", "ForAnyValue" -> present.stream().anyMatch(value -> anyMatches(value, like));
                default -> throw new UnsupportedOperationException("Unknown condition qualifier " + operator);
            };
        }

        private boolean anyMatches(String value, boolean like) {
            return values.stream().anyMatch(expected -> like ? Wildcards.matches(expected, value, false)
                    : expected.equals(value));
        }
    }

    boolean appliesTo(AwsCall call) {
        return actions.stream().anyMatch(action -> Wildcards.matches(action, call.action(), true))
                && resources.stream().anyMatch(resource -> Wildcards.matches(resource, call.resource(), false))
                && conditions.stream().allMatch(condition -> condition.holdsFor(call));
    }

    /** Whether this statement names {@code action} with {@code resource} (the pair a grant is exercised by). */
    boolean grants(String action, String resource, AwsCall call) {
        return Wildcards.matches(action, call.action(), true) && Wildcards.matches(resource, call.resource(), false)
                && conditions.stream().allMatch(condition -> condition.holdsFor(call));
    }

    String effect() {
        return allows ? "Allow" : "Deny";
    }

    @Override
    public String toString() {
        return effect() + " " + sid + " " + actions + " on " + resources
                + (conditions.isEmpty() ? "" : " if " + conditions);
    }
}
