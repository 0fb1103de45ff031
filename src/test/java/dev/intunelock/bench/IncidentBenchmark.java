package dev.intunelock.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import dev.intunelock.testing.GraphStubs;
import dev.intunelock.testing.LambdaRuntimeEmulator;
import dev.intunelock.testing.LocalStack;
import dev.intunelock.testing.PackagedFunction;
import dev.intunelock.testing.SqsEventSourceMapping;
import dev.intunelock.testing.SqsStandIn;
import dev.intunelock.testing.Tokens;

/**
 * The benchmark's incident row ({@code ./mvnw -B -ntp verify -Pbench -Dit.test=IncidentBenchmark}): one batch of
 * {@value #DEVICES} devices, asked for through the API, worked by two packaged function instances at once (each fed
 * by its own share of the SQS event source mapping, as Lambda runs one invocation per instance at a time) against a
 * Graph stand-in that takes at most Intune's 200 writes in any 20 s and answers the rest 429 + Retry-After. Counts
 * lost devices, duplicate commands, answers of 500 or more and 429s; measures the time from the request to the
 * batch's {@code finishedAt}. Writes target/benchmark-incident.md.
 */
class IncidentBenchmark {

    static final int DEVICES = Integer.getInteger("bench.incident.devices", 1000);
    static final int WORKERS = 2;
    static final int INTUNE_WRITES = 200;
    static final long INTUNE_WINDOW_MILLIS = 20_000;
    static final String BUDGET = System.getProperty("bench.incident.writes-per-20s", "180");
    static final ObjectMapper JSON = new ObjectMapper();

    final HttpClient http = HttpClient.newHttpClient();
    String token;

    @Test
    void aThousandDevicesAtIntunesPaceByTwoInstances() throws Exception {
        LocalStack stack = new LocalStack();
        Map<String, String> config = new HashMap<>(stack.start());
        config.put("graph.writes.per-20s", BUDGET);
        token = Tokens.withRoles("soc@contoso.example", "Lock.Devices", "Locks.Bulk"); // signed by the stack's key
        List<String> devices = new ArrayList<>();
        for (int i = 0; i < DEVICES; i++) {
            String id = GraphStubs.newDeviceId();
            GraphStubs.device(id, "android");
            GraphStubs.remoteLockLimited(id, INTUNE_WRITES, INTUNE_WINDOW_MILLIS);
            devices.add(id);
        }
        Path taskRoot = Path.of("target", "bench", "incident-function");
        boolean nativeBuild = PackagedFunction.unpack(PackagedFunction.ZIP, taskRoot);
        List<LambdaRuntimeEmulator> runtimes = new ArrayList<>();
        List<PackagedFunction> instances = new ArrayList<>();
        List<SqsEventSourceMapping> mappings = new ArrayList<>();
        try {
            // Instance 0 answers the API; instances 1 and 2 take the queue's work, one invocation at a time each.
            for (int i = 0; i <= WORKERS; i++) {
                LambdaRuntimeEmulator runtime = new LambdaRuntimeEmulator();
                runtimes.add(runtime);
                instances.add(PackagedFunction.start(taskRoot, nativeBuild, config, runtime,
                        List.of("-XX:MaxRAM=512m"), taskRoot.resolveSibling("incident-instance-" + i + ".log")));
                runtime.awaitFirstPoll(Duration.ofSeconds(30));
            }
            SqsStandIn.purge();
            LocalStack.graphWriteLimit().reset();
            for (int i = 1; i <= WORKERS; i++) {
                mappings.add(SqsEventSourceMapping.intoPort(runtimes.get(i).frontDoorPort(), 1));
            }
            int api = runtimes.get(0).frontDoorPort();

            Instant requested = Instant.now();
            HttpResponse<String> started = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api
                    + "/v1/lock-batches")).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"Benchmark incident\",\"deviceIds\":"
                            + JSON.writeValueAsString(devices) + "}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            Duration accepted = Duration.between(requested, Instant.now());
            assertEquals(202, started.statusCode(), started.body());
            String batchId = JSON.readTree(started.body()).path("batchId").asText();
            int gets = 0;
            int answersOver500 = 0;
            JsonNode batch;
            do {
                Thread.sleep(1000);
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api
                        + "/v1/lock-batches/" + batchId)).header("Authorization", "Bearer " + token).build(),
                        HttpResponse.BodyHandlers.ofString());
                gets++;
                answersOver500 += answer.statusCode() >= 500 ? 1 : 0;
                batch = JSON.readTree(answer.body());
            } while (!"FINISHED".equals(batch.path("status").asText())
                    && Duration.between(requested, Instant.now()).toSeconds() < 600);
            mappings.forEach(SqsEventSourceMapping::close);

            Duration took = batch.hasNonNull("finishedAt")
                    ? Duration.between(requested, Instant.parse(batch.path("finishedAt").asText()))
                    : Duration.between(requested, Instant.now());
            List<ServeEvent> acceptedCommands = LocalStack.graph().getAllServeEvents().stream()
                    .filter(event -> event.getRequest().getUrl().endsWith("/remoteLock"))
                    .filter(event -> event.getResponse().getStatus() == 204).toList();
            Map<String, Long> accepted204 = acceptedCommands.stream()
                    .collect(Collectors.groupingBy(IncidentBenchmark::deviceOf, Collectors.counting()));
            long lost = devices.stream().filter(id -> !accepted204.containsKey(id)).count();
            long duplicates = accepted204.values().stream().filter(count -> count > 1).count();
            int failedInvocations = mappings.stream().mapToInt(SqsEventSourceMapping::failedInvocations).sum();
            int invocations = mappings.stream().mapToInt(SqsEventSourceMapping::invocations).sum();
            long functionAnswersOver500 = instances.stream().map(PackagedFunction::output)
                    .flatMap(log -> log.lines()).filter(line -> line.matches(".*request-times status=5\\d\\d.*"))
                    .count();
            List<Instant> sent = acceptedCommands.stream()
                    .map(event -> event.getRequest().getLoggedDate().toInstant()).sorted().toList();
            String table = table(nativeBuild, batch, took, accepted, lost, duplicates,
                    answersOver500 + failedInvocations + functionAnswersOver500, invocations, gets)
                    + commandsRow(requested, sent);
            System.out.println(table);
            Files.writeString(Path.of("target", "benchmark-incident.md"), table);
            assertEquals("FINISHED", batch.path("status").asText(), batch.toString());
            assertEquals(0, lost, "devices with no accepted command");
            assertEquals(0, duplicates, "devices with more than one accepted command");
            assertTrue(answersOver500 + failedInvocations + functionAnswersOver500 == 0, "answers of 500 or more");
        } finally {
            mappings.forEach(SqsEventSourceMapping::close);
            instances.forEach(PackagedFunction::close);
            runtimes.forEach(LambdaRuntimeEmulator::close);
            stack.stop();
        }
    }

    /** When the first and the last command were accepted, and the most accepted in any 20 s. */
    private static String commandsRow(Instant requested, List<Instant> sent) {
        if (sent.isEmpty()) {
            return "";
        }
        int most = 0;
        for (int first = 0, last = 0; last < sent.size(); last++) {
            while (!sent.get(first).isAfter(sent.get(last).minusMillis(INTUNE_WINDOW_MILLIS))) {
                first++;
            }
            most = Math.max(most, last - first + 1);
        }
        return "| commands accepted (first; last; most in any 20 s) | "
                + String.format("%.1f s; %.1f s; %d", Duration.between(requested, sent.get(0)).toMillis() / 1000.0,
                        Duration.between(requested, sent.get(sent.size() - 1)).toMillis() / 1000.0, most)
                + " | — |\n";
    }

    private static String deviceOf(ServeEvent event) {
        String url = event.getRequest().getUrl();
        return url.substring(GraphStubs.LOCK_COMMANDS.length(), url.length() - "/remoteLock".length());
    }

    private String table(boolean nativeBuild, JsonNode batch, Duration took, Duration accepted, long lost,
            long duplicates, long over500, int invocations, int gets) {
        double ceiling = DEVICES * (INTUNE_WINDOW_MILLIS / 1000.0) / INTUNE_WRITES;
        Function<String, String> count = state -> batch.path("counts").path(state).asText();
        return "Incident benchmark " + LocalDate.now() + ", " + (nativeBuild ? "native" : "JVM") + " build, "
                + Runtime.getRuntime().availableProcessors() + " CPUs, " + WORKERS + " worker instances + 1 for "
                + "the API, GRAPH_WRITES_PER_20S=" + BUDGET + ", Graph stand-in: " + INTUNE_WRITES + " writes per "
                + INTUNE_WINDOW_MILLIS / 1000 + " s (sliding), 429 + Retry-After beyond\n\n"
                + "| measure | value | goal |\n|---|---|---|\n"
                + "| devices in the batch | " + DEVICES + " (SENT " + count.apply("SENT") + ", REFUSED "
                + count.apply("REFUSED") + ", FAILED " + count.apply("FAILED") + ") | — |\n"
                + "| request answered (202) | " + accepted.toMillis() + " ms | — |\n"
                + "| request → batch finished | " + String.format("%.1f s", took.toMillis() / 1000.0) + " ("
                + String.format("%.0f", 100 * ceiling / (took.toMillis() / 1000.0)) + " % of Intune's ceiling, "
                + String.format("%.0f", ceiling) + " s at its 10 a second) | ≤ 105 s |\n"
                + "| lost (no accepted command) | " + lost + " | 0 |\n"
                + "| duplicate commands | " + duplicates + " | 0 |\n"
                + "| answers ≥ 500 (API, queue invocations) | " + over500 + " | 0 |\n"
                + "| 429s answered by the Graph stand-in | " + LocalStack.graphWriteLimit().throttled() + " | — |\n"
                + "| queue invocations; batch reads | " + invocations + "; " + gets + " | — |\n";
    }
}
