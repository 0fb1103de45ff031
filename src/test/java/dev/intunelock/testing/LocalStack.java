package dev.intunelock.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The real local stand-ins every test runs against: dynalite (a DynamoDB-protocol server, tables created from
 * template.yaml by src/local/dynalite.mjs), WireMock answering like Graph and Entra's token endpoint, a fresh
 * RSA key pair that signs the callers' test tokens, and the sandbox (src/local/sandbox.mjs): its Entra ID sign-in,
 * which signs its users' tokens with the same key, for the self-service page, and its KMS stand-in for the PIN vault.
 */
public class LocalStack implements QuarkusTestResourceLifecycleManager {

    public static final String TENANT = "test-tenant";
    public static final String ISSUER = "https://login.test/" + TENANT + "/v2.0";
    public static final String AUDIENCE = "api://intune-lock-test";
    public static final String SELF_SERVICE_CLIENT_ID = "self-service-test-client";
    public static final String HELPDESK_CONTACT = "IT helpdesk, +1 555 0100, helpdesk@contoso.example";

    private static WireMockServer graph;
    private static final GraphWriteLimit GRAPH_WRITE_LIMIT = new GraphWriteLimit();
    private static KeyPair signingKeys;
    private static String dynamoEndpoint;
    private static String sandboxUrl;
    private static CuttableLink dynamoLink;
    private static CuttableLink kmsLink;
    private static CuttableLink sqsLink;
    private NodeStandIn dynalite;
    private NodeStandIn sandbox;

    public static WireMockServer graph() {
        return graph;
    }

    /** Intune's write limit in the Graph stand-in, for stubs that name it ({@link GraphStubs#remoteLockLimited}). */
    public static GraphWriteLimit graphWriteLimit() {
        return GRAPH_WRITE_LIMIT;
    }

    public static KeyPair signingKeys() {
        return signingKeys;
    }

    public static String dynamoEndpoint() {
        return dynamoEndpoint;
    }

    /** The function's connection to dynalite, which a test may cut to make DynamoDB fail mid-request. */
    public static CuttableLink dynamoLink() {
        return dynamoLink;
    }

    /** The function's connection to the sandbox's KMS stand-in, which a test may cut to make KMS unreachable. */
    public static CuttableLink kmsLink() {
        return kmsLink;
    }

    /** The function's connection to ElasticMQ, which a test may cut to make SQS unreachable. */
    public static CuttableLink sqsLink() {
        return sqsLink;
    }

    /** The Entra ID stand-in of src/local/sandbox.mjs, signing in its sandbox users with {@link #signingKeys()}. */
    public static String sandboxUrl() {
        return sandboxUrl;
    }

    @Override
    public Map<String, String> start() {
        graph = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1")
                .containerThreads(40).extensions(GRAPH_WRITE_LIMIT));
        graph.start();
        GraphStubs.tokenEndpoint(graph);
        signingKeys = rsaKeyPair();
        Path publicKey = writePem("public.pem", "PUBLIC KEY", signingKeys.getPublic().getEncoded());
        Path privateKey = writePem("private.pem", "PRIVATE KEY", signingKeys.getPrivate().getEncoded());
        installNodeModules();
        int dynamoPort = startOnAFreePort(port -> dynalite = NodeStandIn.start("dynalite", "dynalite.mjs",
                "dynalite ready", "--port", String.valueOf(port)).awaitReady());
        int sandboxPort = startOnAFreePort(port -> sandbox = NodeStandIn.start("sandbox", "sandbox.mjs",
                "sandbox ready", "--port", String.valueOf(port), "--signing-key", privateKey.toString(), "--issuer",
                ISSUER, "--audience", AUDIENCE).awaitReady());
        dynamoEndpoint = "http://127.0.0.1:" + dynamoPort;
        dynamoLink = CuttableLink.to(dynamoPort);
        sandboxUrl = "http://127.0.0.1:" + sandboxPort;
        kmsLink = CuttableLink.to(sandboxPort);
        SecretsInSandbox.create(sandboxUrl, SecretsInSandbox.GRAPH_CLIENT_SECRET, "test-secret");
        SqsStandIn.start();
        sqsLink = CuttableLink.to(URI.create(SqsStandIn.endpoint()).getPort());

        Map<String, String> config = new HashMap<>();
        config.put("locks.table", "LocksTable");
        config.put("dynamodb.endpoint", "http://127.0.0.1:" + dynamoLink.port());
        config.put("aws.region", "eu-west-1");
        config.put("audit.table", "AuditTable");
        config.put("sqs.endpoint", "http://127.0.0.1:" + sqsLink.port());
        config.put("work.queue.url", SqsStandIn.queueUrl());
        config.put("pin.keys.table", "PinKeysTable");
        config.put("pin.kms.key-id", "alias/intune-lock-test-pins");
        config.put("kms.endpoint", "http://127.0.0.1:" + kmsLink.port() + "/kms");
        config.put("quarkus.rest-client.graph.url", graph.baseUrl());
        config.put("intune.token-url", graph.baseUrl() + "/" + TENANT + "/oauth2/v2.0/token");
        config.put("intune.client-id", "test-client");
        // The Graph client secret is read from the sandbox's Secrets Manager at first use, as in AWS.
        config.put("intune.client-secret-id", SecretsInSandbox.GRAPH_CLIENT_SECRET);
        config.put("secrets-manager.endpoint", sandboxUrl + "/secretsmanager");
        config.put("mp.jwt.verify.publickey.location", publicKey.toUri().toString());
        config.put("mp.jwt.verify.issuer", ISSUER);
        config.put("mp.jwt.verify.audiences", AUDIENCE);
        config.put("self-service.authority", sandboxUrl + "/" + TENANT);
        config.put("self-service.client-id", SELF_SERVICE_CLIENT_ID);
        config.put("self-service.scope", AUDIENCE + "/SelfService.Lock");
        config.put("self-service.helpdesk-contact", HELPDESK_CONTACT);
        return config;
    }

    @Override
    public void stop() {
        if (graph != null) {
            graph.stop();
        }
        if (dynamoLink != null) {
            dynamoLink.close();
        }
        if (kmsLink != null) {
            kmsLink.close();
        }
        if (sqsLink != null) {
            sqsLink.close();
        }
        if (dynalite != null) {
            dynalite.stop();
        }
        if (sandbox != null) {
            sandbox.stop();
        }
        SqsStandIn.stop();
    }

    private static void installNodeModules() {
        Path localDir = Path.of("src", "local");
        if (Files.isDirectory(localDir.resolve("node_modules"))) {
            return;
        }
        try {
            // Its output goes to a file: written to this JVM's own stdout, it would corrupt Surefire's channel.
            Path log = Files.createDirectories(Path.of("target")).resolve("npm-ci.log");
            Process install = new ProcessBuilder("npm", "ci", "--prefix", localDir.toString(), "--no-audit",
                    "--no-fund").redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!install.waitFor(5, TimeUnit.MINUTES) || install.exitValue() != 0) {
                throw new IllegalStateException("npm ci in src/local failed; see " + log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Starts a stand-in on a port that was free a moment ago; if something took it in between (the stand-in exits
     * saying so), tries another.
     */
    private static int startOnAFreePort(java.util.function.IntConsumer start) {
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = freePort();
            try {
                start.accept(port);
                return port;
            } catch (IllegalStateException portTaken) {
                last = portTaken;
            }
        }
        throw last;
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

    /** The key pair, as PEM files (the function reads the public half, the sandbox signs with the private). */
    private static Path writePem(String fileName, String type, byte[] der) {
        try {
            Path file = Files.createDirectories(Path.of("target", "test-keys")).resolve(fileName);
            String pem = "-----BEGIN " + type + "-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                    + "\n-----END " + type + "-----\n";
            Files.writeString(file, pem);
            return file.toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
