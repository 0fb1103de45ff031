package dev.intunelock.testing.iam;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import dev.intunelock.testing.Template;

/**
 * The function's identity policy as CloudFormation would deploy it in the {@link TestAccount}: template.yaml's
 * inline policy statements with their intrinsics ({@code Ref}, {@code Fn::GetAtt}, {@code Fn::Sub}, {@code Fn::If}
 * with the template's conditions, {@code AWS::NoValue}) resolved, and IAM's verdict on a call: an explicit Deny wins,
 * else an Allow is needed. SAM policy templates and managed policies are not expanded here: the function uses none,
 * and one added fails this class until it is taught to expand it.
 */
public final class DeployedPolicy {

    public static final String FUNCTION = "LockFunction";
    private static final Object NO_VALUE = new Object();
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}!][^}]*)}");

    private static List<PolicyStatement> statements;

    private DeployedPolicy() {
    }

    /** IAM's answer to one call: allowed by which statements, or denied (explicitly by {@code deniedBy}, or not allowed). */
    public record Decision(List<String> allowedBy, Optional<String> deniedBy, boolean byWithdrawal) {
        public boolean allowed() {
            return deniedBy.isEmpty() && !allowedBy.isEmpty();
        }

        public String why() {
            return deniedBy.map(sid -> "explicitly denied by statement " + sid)
                    .orElse(allowedBy.isEmpty() ? "no identity-based policy allows it" : "allowed by " + allowedBy)
                    + (byWithdrawal ? " (the test withdrew " + WithdrawnGrant.now() + ")" : "");
        }
    }

    public static synchronized List<PolicyStatement> statements() {
        if (statements == null) {
            statements = read(Template.resource(FUNCTION).path("Properties").path("Policies"));
        }
        return statements;
    }

    /** The deployed policy's answer, without any statement a test has withdrawn ({@link WithdrawnGrant}). */
    public static Decision decide(AwsCall call) {
        var withdrawn = WithdrawnGrant.now();
        if (withdrawn.isEmpty()) {
            return decide(statements(), call);
        }
        Decision decision = decide(statements().stream().filter(statement -> !withdrawn.contains(statement.sid()))
                .toList(), call);
        return decision.allowed() || !decide(statements(), call).allowed() ? decision
                : new Decision(decision.allowedBy(), decision.deniedBy(), true);
    }

    public static Decision decide(List<PolicyStatement> statements, AwsCall call) {
        List<String> allowedBy = new ArrayList<>();
        for (PolicyStatement statement : statements) {
            if (statement.appliesTo(call)) {
                if (!statement.allows()) {
                    return new Decision(List.of(), Optional.of(statement.sid()), false);
                }
                allowedBy.add(statement.sid());
            }
        }
        return new Decision(allowedBy, Optional.empty(), false);
    }

    public static List<PolicyStatement> read(JsonNode policies) {
        List<PolicyStatement> read = new ArrayList<>();
        for (JsonNode policy : policies) {
            if (!policy.isObject() || !policy.has("Statement")) {
                throw new UnsupportedOperationException("The policy check reads inline policy documents only; "
                        + FUNCTION + " has " + policy + " (expand SAM policy templates / managed policies in "
                        + "DeployedPolicy first)");
            }
            for (JsonNode statement : policy.path("Statement")) {
                read.add(statement(statement));
            }
        }
        return List.copyOf(read);
    }

    private static PolicyStatement statement(JsonNode statement) {
        for (String unsupported : List.of("NotAction", "NotResource", "NotPrincipal")) {
            if (statement.has(unsupported)) {
                throw new UnsupportedOperationException("The policy check does not model " + unsupported);
            }
        }
        String sid = statement.path("Sid").asText("");
        if (sid.isEmpty()) {
            throw new IllegalStateException("Every statement of " + FUNCTION + "'s policy has a Sid (the policy "
                    + "check names statements by it): " + statement);
        }
        List<PolicyStatement.Condition> conditions = new ArrayList<>();
        statement.path("Condition").fields().forEachRemaining(operator -> operator.getValue().fields()
                .forEachRemaining(key -> conditions.add(new PolicyStatement.Condition(operator.getKey(), key.getKey(),
                        strings(key.getValue())))));
        return new PolicyStatement(sid, "Allow".equals(statement.path("Effect").asText()),
                strings(statement.path("Action")), strings(statement.path("Resource")), List.copyOf(conditions));
    }

    /** A string or a list of strings, each resolved (values that resolve to AWS::NoValue are left out). */
    private static List<String> strings(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(item -> add(values, resolve(item)));
        } else {
            add(values, resolve(node));
        }
        return List.copyOf(values);
    }

    private static void add(List<String> values, Object resolved) {
        if (resolved instanceof List<?> list) {
            list.forEach(item -> add(values, item));
        } else if (resolved != NO_VALUE) {
            values.add((String) resolved);
        }
    }

    /** A CloudFormation value with its intrinsics worked out: a String, a List, or {@link #NO_VALUE}. */
    static Object resolve(JsonNode node) {
        if (node.isTextual() || node.isNumber() || node.isBoolean()) {
            return node.asText();
        }
        if (node.isArray()) {
            List<Object> items = new ArrayList<>();
            node.forEach(item -> {
                Object value = resolve(item);
                if (value != NO_VALUE) {
                    items.add(value);
                }
            });
            return items;
        }
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        Map.Entry<String, JsonNode> only = fields.hasNext() ? fields.next() : null;
        if (only == null || fields.hasNext()) {
            throw new UnsupportedOperationException("Not an intrinsic function: " + node);
        }
        JsonNode argument = only.getValue();
        return switch (only.getKey()) {
            case "Ref" -> ref(argument.asText());
            case "Fn::GetAtt" -> getAtt(argument.get(0).asText(), argument.get(1).asText());
            case "Fn::Sub" -> sub(argument.isArray() ? argument.get(0).asText() : argument.asText());
            case "Fn::If" -> condition(argument.get(0).asText()) ? resolve(argument.get(1)) : resolve(argument.get(2));
            case "Fn::Join" -> {
                List<String> parts = new ArrayList<>();
                add(parts, resolve(argument.get(1)));
                yield String.join(argument.get(0).asText(), parts);
            }
            default -> throw new UnsupportedOperationException("The policy check does not resolve " + only.getKey());
        };
    }

    private static Object ref(String name) {
        return switch (name) {
            case "AWS::NoValue" -> NO_VALUE;
            case "AWS::Partition" -> TestAccount.PARTITION;
            case "AWS::Region" -> TestAccount.REGION;
            case "AWS::AccountId" -> TestAccount.ACCOUNT;
            case "AWS::StackName" -> "intune-lock";
            default -> {
                JsonNode parameter = Template.json().path("Parameters").path(name);
                if (parameter.isMissingNode()) {
                    yield TestAccount.physicalId(name);
                }
                yield TestAccount.PARAMETERS.getOrDefault(name, parameter.path("Default").asText(""));
            }
        };
    }

    private static String getAtt(String logicalId, String attribute) {
        if (!attribute.equals("Arn")) {
            throw new UnsupportedOperationException("The policy check resolves !GetAtt X.Arn only, not " + attribute);
        }
        return TestAccount.arnOf(logicalId);
    }

    private static String sub(String text) {
        Matcher variable = SUB_VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (variable.find()) {
            String name = variable.group(1);
            String value = name.contains(".") && !name.startsWith("AWS::")
                    ? getAtt(name.substring(0, name.indexOf('.')), name.substring(name.indexOf('.') + 1))
                    : (String) ref(name);
            variable.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        variable.appendTail(out);
        return out.toString();
    }

    private static boolean condition(String name) {
        JsonNode condition = Template.json().path("Conditions").path(name);
        if (condition.isMissingNode()) {
            throw new IllegalArgumentException("template.yaml has no condition " + name);
        }
        return truth(condition);
    }

    private static boolean truth(JsonNode node) {
        Map.Entry<String, JsonNode> only = node.fields().next();
        JsonNode argument = only.getValue();
        return switch (only.getKey()) {
            case "Fn::Equals" -> resolve(argument.get(0)).equals(resolve(argument.get(1)));
            case "Fn::Not" -> !truth(argument.get(0));
            case "Fn::And" -> all(argument, true);
            case "Fn::Or" -> !all(argument, false);
            case "Condition" -> condition(argument.asText());
            default -> throw new UnsupportedOperationException("The policy check does not evaluate " + only.getKey());
        };
    }

    /** And: every item true; Or (asked as "every item false"): none true. */
    private static boolean all(JsonNode items, boolean expected) {
        for (JsonNode item : items) {
            if (truth(item) != expected) {
                return false;
            }
        }
        return true;
    }
}
