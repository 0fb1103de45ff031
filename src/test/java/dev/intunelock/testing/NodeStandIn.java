package dev.intunelock.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One of the Node.js stand-ins of src/local (dynalite.mjs, sandbox.mjs), run for the tests: started with
 * {@code --exit-on-stdin-eof} (so it ends with the test JVM, however that ends), ready once it prints its ready line.
 * Its output goes to the test log, prefixed with its name.
 */
final class NodeStandIn {

    private final String name;
    private final Process process;
    private final CompletableFuture<String> ready;

    private NodeStandIn(String name, Process process, CompletableFuture<String> ready) {
        this.name = name;
        this.process = process;
        this.ready = ready;
    }

    /** Starts {@code src/local/<script>}; does not wait (see {@link #awaitReady()}). */
    static NodeStandIn start(String name, String script, String readyPrefix, String... arguments) {
        List<String> command = new ArrayList<>(List.of("node", Path.of("src", "local", script).toString()));
        command.addAll(List.of(arguments));
        command.add("--exit-on-stdin-eof");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            BufferedReader output = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
                String line = echoUntil(name, output, readyPrefix);
                Thread drain = new Thread(() -> echoUntil(name, output, null), name + "-output");
                drain.setDaemon(true);
                drain.start();
                return line;
            });
            return new NodeStandIn(name, process, ready);
        } catch (IOException e) {
            throw new IllegalStateException("Could not start " + name + " (is node on the PATH?): " + e.getMessage(), e);
        }
    }

    /** Waits for the ready line; fails if the process exits or is silent for too long first. */
    NodeStandIn awaitReady() {
        try {
            if (ready.get(30, TimeUnit.SECONDS) == null) {
                throw new IllegalStateException(name + " exited before it was ready (its output is above)");
            }
            return this;
        } catch (Exception e) {
            process.destroy();
            throw new IllegalStateException("Could not start " + name + ": " + e.getMessage(), e);
        }
    }

    void stop() {
        process.destroy();
    }

    /** Echoes the output until a line starts with {@code prefix} (returned) or the output ends (null). */
    private static String echoUntil(String name, BufferedReader output, String prefix) {
        try {
            for (String line = output.readLine(); line != null; line = output.readLine()) {
                if (prefix != null && line.startsWith(prefix)) {
                    return line;
                }
                System.out.println("[" + name + "] " + line);
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }
}
