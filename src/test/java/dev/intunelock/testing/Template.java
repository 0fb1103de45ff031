package dev.intunelock.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * template.yaml as data, read by the same parser the local run uses (src/local/template.mjs), so that tests check
 * what the template really grants and sets.
 */
public final class Template {

    private static JsonNode template;

    private Template() {
    }

    public static synchronized JsonNode json() {
        if (template == null) {
            try {
                Process node = new ProcessBuilder("node", Path.of("src", "local", "template.mjs").toString())
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
                byte[] out = node.getInputStream().readAllBytes();
                if (!node.waitFor(30, TimeUnit.SECONDS) || node.exitValue() != 0) {
                    throw new IllegalStateException("node src/local/template.mjs failed");
                }
                template = new ObjectMapper().readTree(new String(out, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return template;
    }

    public static JsonNode resource(String logicalId) {
        return json().path("Resources").path(logicalId);
    }

    /** The functions of the template, by logical id. */
    public static List<String> functions() {
        List<String> functions = new ArrayList<>();
        json().path("Resources").fields().forEachRemaining(resource -> {
            if ("AWS::Serverless::Function".equals(resource.getValue().path("Type").asText())) {
                functions.add(resource.getKey());
            }
        });
        return functions;
    }

    /**
     * A function's properties as SAM deploys them: the template's Globals.Function, then the function's own
     * (objects merged key by key, as SAM merges Environment.Variables; anything else the function's own replaces).
     */
    public static JsonNode function(String logicalId) {
        ObjectNode merged = json().path("Globals").path("Function").deepCopy();
        merge(merged, resource(logicalId).path("Properties"));
        return merged;
    }

    private static void merge(ObjectNode into, JsonNode from) {
        from.fields().forEachRemaining(field -> {
            JsonNode existing = into.get(field.getKey());
            if (existing instanceof ObjectNode object && field.getValue().isObject() && !intrinsic(field.getValue())
                    && !intrinsic(existing)) {
                merge(object, field.getValue());
            } else {
                into.set(field.getKey(), field.getValue().deepCopy());
            }
        });
    }

    private static boolean intrinsic(JsonNode node) {
        if (node.size() != 1) {
            return false;
        }
        String name = node.fieldNames().next();
        return name.equals("Ref") || name.startsWith("Fn::");
    }

    /** The environment variables the template gives the function (the same for all three). */
    public static JsonNode functionEnvironment() {
        return function("LockFunction").path("Environment").path("Variables");
    }

    /** Every statement of the function's inline policies. */
    public static List<JsonNode> functionPolicyStatements() {
        List<JsonNode> statements = new ArrayList<>();
        for (JsonNode policy : resource("LockFunction").path("Properties").path("Policies")) {
            policy.path("Statement").forEach(statements::add);
        }
        return statements;
    }

    /** Whether a statement's Resource names the resource {@code logicalId} (by !GetAtt or !Sub). */
    public static boolean names(JsonNode statement, String logicalId) {
        return statement.path("Resource").toString().contains(logicalId);
    }

    public static List<String> actions(JsonNode statement) {
        List<String> actions = new ArrayList<>();
        JsonNode action = statement.path("Action");
        if (action.isArray()) {
            action.forEach(a -> actions.add(a.asText()));
        } else {
            actions.add(action.asText());
        }
        return actions;
    }
}
