package dev.intunelock.testing.iam;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The AWS calls the function made in this test run, one JSON line per distinct call and verdict, in
 * {@code target/aws-calls/function-calls.jsonl}; begun afresh by the first call of the build's first test JVM, headed by
 * the build it belongs to ({@code intune-lock.build}, which Maven sets to the run's start). A file, not a field: the Quarkus
 * tests' class loaders, JUnit's and the failsafe JVM that checks the ledger all read the same one.
 */
public final class CallLedger {

    public static final Path FILE = Path.of("target", "aws-calls", "function-calls.jsonl");
    public static final String BUILD_PROPERTY = "intune-lock.build";
    /** JVM-wide (a system property, not a static field: each Quarkus application has its own class loader). */
    private static final String BEGUN = "intune-lock.call-ledger.begun";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> WRITTEN = ConcurrentHashMap.newKeySet();

    private CallLedger() {
    }

    /**
     * A call as recorded: what was asked, IAM's verdict, and, for a denial, why; {@code withdrawn} when it was denied
     * only because a test had withdrawn a grant ({@link WithdrawnGrant}).
     */
    public record Entry(AwsCall call, boolean allowed, String why, boolean withdrawn) {

        /** A denial no test asked for: deployed, this path would fail. */
        public boolean unexpectedDenial() {
            return !allowed && !withdrawn;
        }
    }

    static synchronized void record(AwsCall call, DeployedPolicy.Decision decision) {
        ObjectNode line = JSON.createObjectNode();
        line.put("action", call.action()).put("resource", call.resource());
        line.set("context", JSON.valueToTree(call.context()));
        line.set("unknownKeys", JSON.valueToTree(call.unknownKeys()));
        line.put("allowed", decision.allowed()).put("why", decision.why()).put("withdrawn", decision.byWithdrawal());
        String text = line.toString();
        // Denials are written every time (each must fail the test it happens in); allowed calls once per shape: the
        // same action, resource and verdict, with keys of the same kinds (BATCH#..., DEVICE#...).
        if (decision.allowed() && !WRITTEN.add(call.action() + " " + call.resource() + " " + decision.why() + " "
                + call.context().entrySet().stream().map(pair -> pair.getKey() + "=" + pair.getValue().stream()
                        .map(CallLedger::kind).sorted().distinct().toList()).sorted().toList())) {
            return;
        }
        try {
            begin();
            Files.writeString(FILE, text + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Begins the ledger afresh unless it is this run's already: the first test JVM of a build begins it, any later one
     * (the failsafe JVM, whose event source mapping records the role's calls too) adds to it.
     */
    private static synchronized void begin() throws IOException {
        if (System.getProperties().putIfAbsent(BEGUN, "true") == null
                && (System.getProperty(BUILD_PROPERTY, "").isEmpty() || !isThisRuns())) {
            Files.createDirectories(FILE.getParent());
            String header = JSON.createObjectNode().put("build", System.getProperty(BUILD_PROPERTY, "")).toString();
            Files.writeString(FILE, header + "\n", StandardCharsets.UTF_8);
        }
    }

    /** A key's kind: the part before its first '#' ({@code BATCH#1234} is a {@code BATCH#} key). */
    private static String kind(String value) {
        int hash = value.indexOf('#');
        return hash < 0 ? value : value.substring(0, hash + 1);
    }

    /**
     * Where this test's calls will begin in the ledger, for {@link #deniedSince}: its size now, or -1 while the file
     * is still an earlier run's (this run's first call begins it afresh, so an offset in the old file would land in
     * the middle of the new one's lines). Writes nothing: the failsafe JVM must not begin the ledger it checks.
     */
    public static long mark() {
        try {
            return isThisRuns() ? Files.size(FILE) : -1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The denials written after {@code mark} (or all of this run's, if the ledger was begun afresh since), those a
     * withdrawn grant caused included.
     */
    public static List<Entry> deniedSince(long mark) {
        List<Entry> denied = new ArrayList<>();
        if (!isThisRuns()) {
            return denied;
        }
        long offset;
        try {
            offset = mark < 0 || Files.size(FILE) < mark ? 0 : mark;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Entry entry : entries(offset)) {
            if (!entry.allowed()) {
                denied.add(entry);
            }
        }
        return denied;
    }

    private static boolean isThisRuns() {
        return Files.exists(FILE) && build().equals(System.getProperty(BUILD_PROPERTY, ""));
    }

    /** The build the ledger was written in, or empty when there is no ledger. */
    public static String build() {
        try {
            if (!Files.exists(FILE)) {
                return "";
            }
            String first = Files.readAllLines(FILE, StandardCharsets.UTF_8).stream().findFirst().orElse("{}");
            return JSON.readTree(first).path("build").asText("");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<Entry> entries() {
        return entries(0);
    }

    private static List<Entry> entries(long offset) {
        List<Entry> entries = new ArrayList<>();
        if (!Files.exists(FILE)) {
            return entries;
        }
        try {
            byte[] all = Files.readAllBytes(FILE);
            String text = new String(all, (int) Math.min(offset, all.length), (int) (all.length - Math.min(offset,
                    all.length)), StandardCharsets.UTF_8);
            // A line still being appended (a sweep's call while a test ends) is read next time, not half now.
            text = text.substring(0, text.lastIndexOf('\n') + 1);
            for (String line : text.split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node = JSON.readTree(line);
                if (!node.has("action")) {
                    continue;
                }
                Map<String, List<String>> context = JSON.convertValue(node.path("context"), new TypeReference<>() {
                });
                Set<String> unknown = JSON.convertValue(node.path("unknownKeys"), new TypeReference<>() {
                });
                entries.add(new Entry(new AwsCall(node.path("action").asText(), node.path("resource").asText(),
                        context, unknown), node.path("allowed").asBoolean(), node.path("why").asText(),
                        node.path("withdrawn").asBoolean()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entries;
    }
}
