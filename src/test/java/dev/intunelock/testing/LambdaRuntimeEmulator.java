package dev.intunelock.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * What Lambda gives a function, on loopback: the Lambda Runtime API (the function polls
 * {@code /2018-06-01/runtime/invocation/next} and posts each answer back, exactly as in AWS), fed by a front door
 * that turns plain HTTP requests into the API Gateway HTTP API (v2) events API Gateway would send, and the
 * function's answers back into HTTP responses. Knows when the function first asked for work (its cold start).
 */
public final class LambdaRuntimeEmulator implements AutoCloseable {

    /** The front door's entry for raw events, named as the test harness names its own. */
    public static final String RAW_EVENTS = "/_lambda_";

    private static final String RUNTIME = "/2018-06-01/runtime";
    private static final Duration INVOCATION_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        // Without it the JDK's server writes an answer's headers and body as two segments, and the second waits for
        // the client's delayed ACK: ~40 ms added to every exchange on loopback.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer runtimeApi;
    private final HttpServer frontDoor;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "lambda-runtime-emulator");
        thread.setDaemon(true);
        return thread;
    });
    private final BlockingQueue<Invocation> queued = new LinkedBlockingQueue<>();
    private final Map<String, Invocation> inFlight = new ConcurrentHashMap<>();
    private final CompletableFuture<Long> firstPoll = new CompletableFuture<>();
    private final AtomicLong lastInvocationNanos = new AtomicLong();
    private volatile String initError;
    private volatile String functionGone;

    private record Invocation(String id, byte[] event, CompletableFuture<byte[]> answer) {
    }

    public LambdaRuntimeEmulator() {
        try {
            runtimeApi = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
            frontDoor = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        runtimeApi.createContext(RUNTIME, this::runtime);
        runtimeApi.setExecutor(threads);
        frontDoor.createContext("/", this::frontDoor);
        frontDoor.setExecutor(threads);
        runtimeApi.start();
        frontDoor.start();
    }

    /** The value of {@code AWS_LAMBDA_RUNTIME_API} for the function's process. */
    public String runtimeApiAddress() {
        return "127.0.0.1:" + runtimeApi.getAddress().getPort();
    }

    /** Where plain HTTP requests enter, to reach the function as API Gateway events. */
    public int frontDoorPort() {
        return frontDoor.getAddress().getPort();
    }

    /** {@link System#nanoTime()} of the function's first request for work: it is ready. Waits up to the timeout. */
    public long awaitFirstPoll(Duration timeout) {
        try {
            return firstPoll.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the function did not poll the Runtime API within " + timeout
                    + (initError == null ? "" : "; its init error: " + initError));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** How long the function itself took over the last invocation: from handing out its event to its answer. */
    public long lastInvocationNanos() {
        return lastInvocationNanos.get();
    }

    /** The function will not answer any more: every waiting and later invocation fails at once, saying why. */
    public void functionExited(String why) {
        functionGone = why;
        firstPoll.completeExceptionally(new IllegalStateException(why));
        queued.forEach(invocation -> invocation.answer().completeExceptionally(new IllegalStateException(why)));
        inFlight.values()
                .forEach(invocation -> invocation.answer().completeExceptionally(new IllegalStateException(why)));
    }

    /** Hands the function one event, as Lambda does, and returns its answer. */
    public byte[] invoke(byte[] event) {
        Invocation invocation = new Invocation(UUID.randomUUID().toString(), event, new CompletableFuture<>());
        if (functionGone != null) {
            throw new IllegalStateException(functionGone);
        }
        queued.add(invocation);
        try {
            return invocation.answer().get(INVOCATION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("no answer within " + INVOCATION_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the function failed the invocation: " + e.getCause().getMessage());
        }
    }

    private void runtime(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath().substring(RUNTIME.length());
        byte[] body = exchange.getRequestBody().readAllBytes();
        if (path.equals("/invocation/next") && exchange.getRequestMethod().equals("GET")) {
            firstPoll.complete(System.nanoTime());
            next(exchange);
        } else if (path.startsWith("/invocation/") && path.endsWith("/response")) {
            Invocation invocation = inFlight.remove(path.split("/")[2]);
            if (invocation != null) {
                invocation.answer().complete(body);
            }
            reply(exchange, 202, "{\"status\":\"OK\"}");
        } else if (path.startsWith("/invocation/") && path.endsWith("/error")) {
            Invocation invocation = inFlight.remove(path.split("/")[2]);
            if (invocation != null) {
                invocation.answer().completeExceptionally(new IllegalStateException(new String(body,
                        StandardCharsets.UTF_8)));
            }
            reply(exchange, 202, "{\"status\":\"OK\"}");
        } else if (path.equals("/init/error")) {
            initError = new String(body, StandardCharsets.UTF_8);
            reply(exchange, 202, "{\"status\":\"OK\"}");
        } else {
            reply(exchange, 404, "{\"errorMessage\":\"unknown runtime path " + path + "\"}");
        }
    }

    private void next(HttpExchange exchange) throws IOException {
        Invocation invocation;
        try {
            invocation = queued.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.close();
            return;
        }
        inFlight.put(invocation.id(), invocation);
        long handedOut = System.nanoTime();
        invocation.answer().thenRun(() -> lastInvocationNanos.set(System.nanoTime() - handedOut));
        exchange.getResponseHeaders().add("Lambda-Runtime-Aws-Request-Id", invocation.id());
        exchange.getResponseHeaders().add("Lambda-Runtime-Deadline-Ms",
                String.valueOf(System.currentTimeMillis() + INVOCATION_TIMEOUT.toMillis()));
        exchange.getResponseHeaders().add("Lambda-Runtime-Invoked-Function-Arn",
                "arn:aws:lambda:eu-west-1:123456789012:function:intune-lock:live");
        exchange.getResponseHeaders().add("Lambda-Runtime-Trace-Id", "Root=1-" + Long.toHexString(
                Instant.now().getEpochSecond()) + "-" + invocation.id().replace("-", "").substring(0, 24));
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, invocation.event().length);
        exchange.getResponseBody().write(invocation.event());
        exchange.close();
    }

    private void frontDoor(HttpExchange exchange) throws IOException {
        if (RAW_EVENTS.equals(exchange.getRequestURI().getPath())) {
            rawEvent(exchange);
            return;
        }
        byte[] answer;
        try {
            URI uri = exchange.getRequestURI();
            answer = invoke(ApiGatewayEvents.event(exchange.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(),
                    exchange.getRequestHeaders(), exchange.getRequestBody().readAllBytes()));
        } catch (IllegalStateException e) {
            reply(exchange, 502, "{\"message\":\"" + e.getMessage().replace('"', '\'') + "\"}");
            return;
        }
        JsonNode response = JSON.readTree(answer);
        response.path("headers").fields().forEachRemaining(header -> exchange.getResponseHeaders()
                .add(header.getKey(), header.getValue().asText()));
        response.path("multiValueHeaders").fields().forEachRemaining(header -> header.getValue()
                .forEach(value -> exchange.getResponseHeaders().add(header.getKey(), value.asText())));
        response.path("cookies").forEach(cookie -> exchange.getResponseHeaders().add("Set-Cookie", cookie.asText()));
        String body = response.path("body").asText("");
        byte[] bytes = response.path("isBase64Encoded").asBoolean() ? Base64.getDecoder().decode(body)
                : body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(response.path("statusCode").asInt(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    /**
     * An event posted as it is (an SQS event, say) and the function's answer as it is, like the test harness's
     * {@code /_lambda_} entry.
     */
    private void rawEvent(HttpExchange exchange) throws IOException {
        try {
            byte[] answer = invoke(exchange.getRequestBody().readAllBytes());
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        } catch (IllegalStateException e) {
            reply(exchange, 502, "{\"message\":\"" + e.getMessage().replace('"', '\'') + "\"}");
        }
    }

    private static void reply(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        runtimeApi.stop(0);
        frontDoor.stop(0);
        threads.shutdownNow();
    }
}
