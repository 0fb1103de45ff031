package dev.intunelock.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import com.amazonaws.services.lambda.runtime.api.client.AWSLambda;

/**
 * The deployment package the build wrote ({@code target/function.zip}), unpacked and started as Lambda starts it:
 * a native build's {@code bootstrap} as {@code provided.al2023} runs it, a JVM build through the same runtime
 * interface client and handler as the {@code java21} runtime (with that runtime's default JVM flags: C1 only,
 * serial GC), with its configuration in environment variables, polling a {@link LambdaRuntimeEmulator}.
 */
public final class PackagedFunction implements AutoCloseable {

    public static final Path ZIP = Path.of("target", "function.zip");
    static final String HANDLER = "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final long startedNanos;
    private final Path log;

    private PackagedFunction(Process process, long startedNanos, Path log) {
        this.process = process;
        this.startedNanos = startedNanos;
        this.log = log;
    }

    /** Unpacks the package into {@code directory} (once) and whether it is a native build. */
    public static boolean unpack(Path zip, Path directory) {
        if (!Files.isRegularFile(zip)) {
            throw new IllegalStateException(zip + " is missing: build it first (./mvnw package)");
        }
        deleteRecursively(directory);
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null;) {
                Path target = directory.resolve(entry.getName()).normalize();
                if (!target.startsWith(directory)) {
                    throw new IllegalStateException("zip entry outside its directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(in, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path bootstrap = directory.resolve("bootstrap");
        if (Files.exists(bootstrap)) {
            bootstrap.toFile().setExecutable(true);
            directory.resolve("runner").toFile().setExecutable(true);
            return true;
        }
        return false;
    }

    /**
     * Starts the unpacked function with {@code config} (Quarkus property names, handed over as the environment
     * variables Lambda would set) and waits until it polls the Runtime API.
     */
    public static PackagedFunction start(Path taskRoot, boolean nativeBuild, Map<String, String> config,
            LambdaRuntimeEmulator runtime, List<String> jvmOptions, Path log) {
        List<String> command = new ArrayList<>();
        if (nativeBuild) {
            command.add(taskRoot.resolve("bootstrap").toAbsolutePath().toString());
        } else {
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
            command.addAll(jvmOptions);
            command.add("-cp");
            command.add(String.join(java.io.File.pathSeparator, taskRoot.toAbsolutePath().toString(),
                    taskRoot.toAbsolutePath().resolve("lib") + "/*", runtimeInterfaceClient()));
            command.add(AWSLambda.class.getName());
            command.add(HANDLER);
        }
        ProcessBuilder builder = new ProcessBuilder(command).directory(taskRoot.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> name.startsWith("QUARKUS_") || name.startsWith("JAVA_TOOL"));
        config.forEach((name, value) -> environment.put(environmentName(name), value));
        environment.put("AWS_LAMBDA_RUNTIME_API", runtime.runtimeApiAddress());
        environment.put("_HANDLER", HANDLER);
        environment.put("LAMBDA_TASK_ROOT", taskRoot.toAbsolutePath().toString());
        environment.put("AWS_LAMBDA_FUNCTION_NAME", "intune-lock");
        environment.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512");
        environment.put("AWS_REGION", config.getOrDefault("aws.region", "eu-west-1"));
        environment.put("TZ", ":UTC");
        long started = System.nanoTime();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PackagedFunction function = new PackagedFunction(process, started, log);
        process.onExit().thenRun(() -> runtime.functionExited("the function's process ended (exit code "
                + process.exitValue() + "); its output is in " + log));
        try {
            runtime.awaitFirstPoll(START_TIMEOUT);
        } catch (IllegalStateException e) {
            function.close();
            throw new IllegalStateException(e.getMessage() + "; its output: " + function.output(), e);
        }
        return function;
    }

    /** When the process was started ({@link System#nanoTime()}). */
    public long startedNanos() {
        return startedNanos;
    }

    public long pid() {
        return process.pid();
    }

    /** Resident memory of the function's process now, in MiB (from /proc). */
    public long residentMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no VmRSS for " + process.pid());
    }

    /** CPU time the function's process has used so far, all threads (user + system), in ms (from /proc). */
    public long cpuMillis() {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
            return ticks * 10; // USER_HZ is 100 on Linux
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    /** {@code locks.table} → {@code LOCKS_TABLE}, as MicroProfile Config reads environment variables. */
    static String environmentName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    private static String runtimeInterfaceClient() {
        List<String> jars = new ArrayList<>();
        for (Class<?> part : List.of(AWSLambda.class,
                com.amazonaws.services.lambda.runtime.serialization.PojoSerializer.class,
                software.amazon.awssdk.utilslite.SdkInternalThreadLocal.class)) {
            try {
                jars.add(Path.of(part.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
            } catch (java.net.URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        return String.join(java.io.File.pathSeparator, jars);
    }

    private static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
