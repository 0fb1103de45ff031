package dev.intunelock.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The real local stand-ins every test runs against: dynalite (a DynamoDB-protocol server, tables created from
 * template.yaml by src/local/dynalite.mjs), WireMock answering like Graph and Entra's token endpoint, and a fresh
 * RSA key pair that signs the callers' test tokens.
 */
public class LocalStack implements QuarkusTestResourceLifecycleManager {

    public static final String TENANT = "test-tenant";
    public static final String ISSUER = "https://login.test/" + TENANT + "/v2.0";
    public static final String AUDIENCE = "api://intune-lock-test";

    private static WireMockServer graph;
    private static KeyPair signingKeys;
    private static String dynamoEndpoint;
    private Process dynalite;

    public static WireMockServer graph() {
        return graph;
    }

    public static KeyPair signingKeys() {
        return signingKeys;
    }

    public static String dynamoEndpoint() {
        return dynamoEndpoint;
    }

    @Override
    public Map<String, String> start() {
        graph = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1")
                .containerThreads(40));
        graph.start();
        GraphStubs.tokenEndpoint(graph);
        signingKeys = rsaKeyPair();
        int dynamoPort = freePort();
        dynalite = startDynalite(dynamoPort);
        dynamoEndpoint = "http://127.0.0.1:" + dynamoPort;

        Map<String, String> config = new HashMap<>();
        config.put("locks.table", "LocksTable");
        config.put("dynamodb.endpoint", dynamoEndpoint);
        config.put("aws.region", "eu-west-1");
        config.put("quarkus.rest-client.graph.url", graph.baseUrl());
        config.put("quarkus.oidc-client.auth-server-url", graph.baseUrl() + "/" + TENANT + "/oauth2/v2.0/token");
        config.put("quarkus.oidc-client.client-id", "test-client");
        config.put("quarkus.oidc-client.credentials.client-secret.value", "test-secret");
        config.put("mp.jwt.verify.publickey.location", writePublicKey().toUri().toString());
        config.put("mp.jwt.verify.issuer", ISSUER);
        config.put("mp.jwt.verify.audiences", AUDIENCE);
        return config;
    }

    @Override
    public void stop() {
        if (graph != null) {
            graph.stop();
        }
        if (dynalite != null) {
            dynalite.destroy();
        }
    }

    private static Process startDynalite(int port) {
        Path localDir = Path.of("src", "local");
        try {
            if (!Files.isDirectory(localDir.resolve("node_modules"))) {
                Process install = new ProcessBuilder("npm", "ci", "--prefix", localDir.toString(), "--no-audit",
                        "--no-fund").inheritIO().start();
                if (!install.waitFor(5, TimeUnit.MINUTES) || install.exitValue() != 0) {
                    throw new IllegalStateException("npm ci in src/local failed");
                }
            }
            Process process = new ProcessBuilder("node", localDir.resolve("dynalite.mjs").toString(), "--port",
                    String.valueOf(port), "--exit-on-stdin-eof").redirectErrorStream(true).start();
            BufferedReader output = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String ready = CompletableFuture.supplyAsync(() -> readUntilReady(output)).get(30, TimeUnit.SECONDS);
            if (ready == null) {
                throw new IllegalStateException("dynalite exited before it was ready");
            }
            Thread drain = new Thread(() -> readUntilReady(output), "dynalite-output");
            drain.setDaemon(true);
            drain.start();
            return process;
        } catch (Exception e) {
            throw new IllegalStateException("Could not start dynalite: " + e.getMessage(), e);
        }
    }

    private static String readUntilReady(BufferedReader output) {
        try {
            for (String line = output.readLine(); line != null; line = output.readLine()) {
                if (line.startsWith("dynalite ready")) {
                    return line;
                }
                System.out.println("[dynalite] " + line);
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static KeyPair rsaKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path writePublicKey() {
        try {
            Path file = Files.createDirectories(Path.of("target", "test-keys")).resolve("public.pem");
            String pem = "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(signingKeys.getPublic().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n";
            Files.writeString(file, pem);
            return file.toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
