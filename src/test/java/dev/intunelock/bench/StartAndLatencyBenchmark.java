package dev.intunelock.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.intunelock.testing.GraphStubs;
import dev.intunelock.testing.LambdaRuntimeEmulator;
import dev.intunelock.testing.LocalStack;
import dev.intunelock.testing.PackagedFunction;
import dev.intunelock.testing.Tokens;

/**
 * The project's own benchmark ({@code ./mvnw -B -ntp verify -Pbench -Dit.test=StartAndLatencyBenchmark}): the
 * packaged function beside a bare Quarkus Lambda (src/bench/bare-lambda, built in the same run), both started as
 * Lambda starts them and fed API Gateway events through the Runtime API. Cold starts alternate between the two; warm
 * locks run one after another against dynalite and a Graph stand-in with no delay; the function logs, per request,
 * how long it waited on them ({@code dev.intunelock.timing} at DEBUG), so what is left is its own work. Prints a
 * table and writes it to target/benchmark.md.
 */
class StartAndLatencyBenchmark {

    static final int COLD_RUNS = Integer.getInteger("bench.cold-runs", 5);
    static final int WARM_UP = 50;
    static final int WARM_LOCKS = Integer.getInteger("bench.warm-locks", 250);
    /** A 512 MB Lambda's memory; {@code -Dbench.jvm-options="…"} replaces it, to try other JVM settings. */
    static final List<String> JVM_LIMIT = List.of(
            System.getProperty("bench.jvm-options", "-XX:MaxRAM=512m").trim().split("\\s+"));
    static final Path BARE_PROJECT = Path.of("src", "bench", "bare-lambda");

    final HttpClient http = HttpClient.newHttpClient();
    int nextDevice;
    List<String> devices = new ArrayList<>();

    @Test
    void startAndWarmLatencyBesideABareQuarkusLambda() throws Exception {
        buildBareApp();
        LocalStack stack = new LocalStack();
        Map<String, String> config = new HashMap<>(stack.start());
        // One line per request with the time it waited on AWS and Graph, measured inside the function.
        config.put("quarkus.log.category.\"dev.intunelock.timing\".level", "DEBUG");
        // Locks one after another come faster than Intune's 9 a second: this measures the function, not the pacing.
        config.put("graph.writes.per-20s", "100000");
        try {
            for (int i = 0; i < COLD_RUNS + WARM_UP + WARM_LOCKS; i++) {
                String id = GraphStubs.newDeviceId();
                GraphStubs.device(id, "android");
                GraphStubs.remoteLockAccepted(id);
                devices.add(id);
            }
            Path function = Path.of("target", "bench", "function");
            boolean nativeBuild = PackagedFunction.unpack(PackagedFunction.ZIP, function);
            Path bare = Path.of("target", "bench", "bare");
            PackagedFunction.unpack(BARE_PROJECT.resolve("target/function.zip"), bare);

            List<Double> functionPoll = new ArrayList<>();
            List<Double> functionFirst = new ArrayList<>();
            List<Double> barePoll = new ArrayList<>();
            List<Double> bareFirst = new ArrayList<>();
            for (int run = 0; run < COLD_RUNS; run++) {
                double[] b = coldStart(bare, false, Map.of(), this::hello);
                barePoll.add(b[0]);
                bareFirst.add(b[1]);
                double[] f = coldStart(function, nativeBuild, config, this::lock);
                functionPoll.add(f[0]);
                functionFirst.add(f[1]);
            }

            Warm functionWarm = warm(function, nativeBuild, config, this::lock);
            Warm bareWarm = warm(bare, false, Map.of(), this::hello);

            String table = table(nativeBuild, functionPoll, barePoll, functionFirst, bareFirst, functionWarm, bareWarm);
            System.out.println(table);
            Files.writeString(Path.of("target", "benchmark.md"), table);
            assertEquals(WARM_LOCKS, functionWarm.total.size());
        } finally {
            stack.stop();
        }
    }

    interface Request {
        int send(int port) throws IOException, InterruptedException;
    }

    /** Process start → first Runtime API poll, and → first answer, in ms. */
    double[] coldStart(Path taskRoot, boolean nativeBuild, Map<String, String> config, Request first)
            throws Exception {
        try (LambdaRuntimeEmulator runtime = new LambdaRuntimeEmulator();
                PackagedFunction process = PackagedFunction.start(taskRoot, nativeBuild, config, runtime, JVM_LIMIT,
                        taskRoot.resolveSibling(taskRoot.getFileName() + ".log"))) {
            long polled = runtime.awaitFirstPoll(java.time.Duration.ofSeconds(1));
            int status = first.send(runtime.frontDoorPort());
            long answered = System.nanoTime();
            assertTrue(status < 300, "first request answered " + status + ": " + process.output());
            return new double[] { millis(polled - process.startedNanos()), millis(answered - process.startedNanos()) };
        }
    }

    /** Per request: the function's time (Runtime API hand-out → answer), its waiting on AWS + Graph, its calls. */
    record Warm(List<Double> total, List<Double> waited, List<String> calls, double cpuMillisPerRequest,
            long residentMiB) {
        List<Double> own() {
            List<Double> own = new ArrayList<>();
            for (int i = 0; i < total.size(); i++) {
                own.add(total.get(i) - waited.get(i));
            }
            return own;
        }
    }

    Warm warm(Path taskRoot, boolean nativeBuild, Map<String, String> config, Request request) throws Exception {
        List<String> options = new ArrayList<>(JVM_LIMIT);
        if (Boolean.getBoolean("bench.record") && !nativeBuild) {
            // -Dbench.record=true: a flight recording of the warm run, for `jfr print --events ExecutionSample`.
            options.add("-XX:StartFlightRecording=settings=profile,jdk.ExecutionSample#period=2ms,"
                    + "jdk.JavaExceptionThrow#enabled=true,filename="
                    + taskRoot.resolveSibling(taskRoot.getFileName() + "-warm.jfr").toAbsolutePath());
        }
        try (LambdaRuntimeEmulator runtime = new LambdaRuntimeEmulator();
                PackagedFunction process = PackagedFunction.start(taskRoot, nativeBuild, config, runtime, options,
                        taskRoot.resolveSibling(taskRoot.getFileName() + "-warm.log"))) {
            for (int i = 0; i < WARM_UP; i++) {
                int status = request.send(runtime.frontDoorPort());
                assertTrue(status < 300, "answered " + status + ": " + process.output());
            }
            List<Double> total = new ArrayList<>();
            long cpuBefore = process.cpuMillis();
            for (int i = 0; i < WARM_LOCKS; i++) {
                int status = request.send(runtime.frontDoorPort());
                assertTrue(status < 300, "answered " + status + ": " + process.output());
                total.add(millis(runtime.lastInvocationNanos()));
            }
            double cpuPerRequest = (process.cpuMillis() - cpuBefore) / (double) WARM_LOCKS;
            long residentMiB = process.residentMiB();
            List<Double> waited = new ArrayList<>();
            List<String> calls = new ArrayList<>();
            List<Matcher> lines = REQUEST_TIMES.matcher(process.output()).results()
                    .map(result -> REQUEST_TIMES.matcher(result.group())).peek(Matcher::find).toList();
            for (Matcher line : lines.subList(Math.max(0, lines.size() - WARM_LOCKS), lines.size())) {
                waited.add(Double.parseDouble(line.group(1)) + Double.parseDouble(line.group(3)));
                calls.add("AWS " + line.group(2) + ", Graph " + line.group(4));
            }
            if (waited.isEmpty()) {
                waited = Collections.nCopies(total.size(), 0.0); // the bare app calls nothing
            }
            assertEquals(total.size(), waited.size(), "one request-times line per request");
            return new Warm(total, waited, calls, cpuPerRequest, residentMiB);
        }
    }

    static final Pattern REQUEST_TIMES = Pattern.compile(
            "request-times status=\\d+ total=[\\d.]+ms aws=([\\d.]+)ms/(\\d+) graph=([\\d.]+)ms/(\\d+)");

    int lock(int port) throws IOException, InterruptedException {
        String device = devices.get(nextDevice++);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/locks"))
                .header("Authorization", "Bearer " + Tokens.withRoles("bench@contoso.example", "Lock.Devices"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"deviceId":"%s","reason":"Benchmark"}""".formatted(device)))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    int hello(int port) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hello")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** The {@code quarkus.snapstart.*} settings given to this run; the function and the bare app are both built so. */
    static List<String> snapStartSettings() {
        return System.getProperties().stringPropertyNames().stream()
                .filter(name -> name.startsWith("quarkus.snapstart.")).sorted()
                .map(name -> name + "=" + System.getProperty(name)).toList();
    }

    static void buildBareApp() throws IOException, InterruptedException {
        Path log = Files.createDirectories(Path.of("target", "bench")).resolve("bare-lambda-build.log");
        List<String> command = new ArrayList<>(List.of(Path.of("mvnw").toAbsolutePath().toString(), "-B", "-ntp",
                "-q", "-f", BARE_PROJECT.resolve("pom.xml").toString(), "package"));
        snapStartSettings().forEach(setting -> command.add("-D" + setting));
        Process build = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!build.waitFor(10, TimeUnit.MINUTES) || build.exitValue() != 0) {
            throw new IllegalStateException("building the bare Quarkus Lambda failed; see " + log);
        }
    }

    static String table(boolean nativeBuild, List<Double> functionPoll, List<Double> barePoll,
            List<Double> functionFirst, List<Double> bareFirst, Warm function, Warm bare) {
        double pollRatio = median(functionPoll) / median(barePoll);
        double firstRatio = median(functionFirst) / median(bareFirst);
        double ownBeyondFloor = percentile(function.own(), 50) - percentile(bare.total(), 50);
        StringBuilder out = new StringBuilder();
        out.append("Benchmark ").append(LocalDate.now()).append(", ").append(nativeBuild ? "native" : "JVM")
                .append(" build, ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs, Java ")
                .append(System.getProperty("java.version")).append(", ").append(JVM_LIMIT);
        snapStartSettings().forEach(setting -> out.append(", ").append(setting));
        out.append('\n').append('\n');
        out.append("| measure | intune-lock | bare Quarkus Lambda | intune-lock vs bare | goal |\n");
        out.append("|---|---|---|---|---|\n");
        out.append(row("cold: process start → first Runtime API poll, median (range) of " + COLD_RUNS,
                range(functionPoll, "ms"), range(barePoll, "ms"), format("%.2f×", pollRatio),
                goal(pollRatio <= 1.3, "≤ 1.30×")));
        out.append(row("cold: process start → first answer (a lock / hello), median (range)",
                range(functionFirst, "ms"), range(bareFirst, "ms"), format("%.2f×", firstRatio), "—"));
        out.append(row("warm: latency p50 / p99 over " + WARM_LOCKS + " requests",
                p50p99(function.total()), p50p99(bare.total()), "—", "—"));
        out.append(row("warm: waiting on AWS + Graph (measured in the function), p50; calls per lock",
                format("%.1f ms; %s", percentile(function.waited(), 50), function.calls().get(0)),
                "—", "—", "—"));
        out.append(row("warm: the function's own time (latency − waiting), p50 / p99",
                p50p99(function.own()), p50p99(bare.total()), format("+%.1f ms at p50", ownBeyondFloor),
                goal(ownBeyondFloor <= 3, "≤ +3 ms")));
        out.append(row("warm: CPU per request, all threads of the process (from /proc)",
                format("%.1f ms", function.cpuMillisPerRequest()), format("%.1f ms", bare.cpuMillisPerRequest()),
                format("+%.1f ms", function.cpuMillisPerRequest() - bare.cpuMillisPerRequest()), "—"));
        out.append(row("resident memory after the warm run", function.residentMiB() + " MiB",
                bare.residentMiB() + " MiB", "—", goal(function.residentMiB() <= 200, "≤ 200 MiB")));
        return out.toString();
    }

    static String row(String... cells) {
        return "| " + String.join(" | ", cells) + " |\n";
    }

    static String goal(boolean met, String goal) {
        return goal + (met ? " ✔" : " ✘");
    }

    static String range(List<Double> values, String unit) {
        return format("%.0f %s (%.0f–%.0f)", median(values), unit, Collections.min(values), Collections.max(values));
    }

    static String p50p99(List<Double> values) {
        return format("%.1f / %.1f ms", percentile(values, 50), percentile(values, 99));
    }

    static double median(List<Double> values) {
        return percentile(values, 50);
    }

    static double percentile(List<Double> values, int percentile) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
    }

    static double millis(long nanos) {
        return nanos / 1_000_000.0;
    }

    static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}
