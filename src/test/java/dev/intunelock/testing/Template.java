package dev.intunelock.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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

    /** The environment variables the template gives the function. */
    public static JsonNode functionEnvironment() {
        return resource("LockFunction").path("Properties").path("Environment").path("Variables");
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
