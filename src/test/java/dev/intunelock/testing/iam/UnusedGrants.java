package dev.intunelock.testing.iam;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The other way round from {@link FunctionCallRecorder}: each action and resource an Allow statement of the
 * function's policy grants, and whether any call the function made in the test run used it. A grant no test used
 * must say why it stays, in a comment on its action's line in template.yaml: {@code # untested: <why>}.
 */
public final class UnusedGrants {

    private static final Pattern UNTESTED = Pattern.compile("#\\s*untested:\\s*(\\S.*)");

    private UnusedGrants() {
    }

    /** A grant: one action of one statement on one of its resources. */
    public record Grant(String sid, String action, String resource) {
        @Override
        public String toString() {
            return action + " on " + resource + " (statement " + sid + ")";
        }
    }

    /** The grants that none of {@code calls} used, and that template.yaml gives no reason for. */
    public static List<Grant> unexplained(List<AwsCall> calls) {
        List<Grant> unexplained = new ArrayList<>();
        for (Grant grant : unused(DeployedPolicy.statements(), calls)) {
            if (reason(grant).isEmpty()) {
                unexplained.add(grant);
            }
        }
        return unexplained;
    }

    public static List<Grant> unused(List<PolicyStatement> statements, List<AwsCall> calls) {
        List<Grant> unused = new ArrayList<>();
        for (PolicyStatement statement : statements) {
            if (!statement.allows()) {
                continue;
            }
            for (String action : statement.actions()) {
                for (String resource : statement.resources()) {
                    if (calls.stream().noneMatch(call -> statement.grants(action, resource, call))) {
                        unused.add(new Grant(statement.sid(), action, resource));
                    }
                }
            }
        }
        return unused;
    }

    /** The {@code # untested:} reason on the grant's action line, within its statement (from its Sid to the next). */
    static String reason(Grant grant) {
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("template.yaml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        boolean inStatement = false;
        for (String line : lines) {
            String trimmed = line.trim();
            if (trimmed.startsWith("- Sid:")) {
                inStatement = trimmed.substring("- Sid:".length()).trim().equals(grant.sid());
            } else if (inStatement && trimmed.replaceFirst("^- ", "").replaceFirst("^Action:\\s*", "")
                    .startsWith(grant.action())) {
                Matcher reason = UNTESTED.matcher(trimmed);
                return reason.find() ? reason.group(1) : "";
            }
        }
        return "";
    }
}
