package dev.intunelock.testing;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.restassured.RestAssured;

/**
 * Runs a test class against the packaged function instead of the test JVM's Quarkus: the same stand-ins as
 * {@link LocalStack} (whose settings reach the function as environment variables), the package started by
 * {@link PackagedFunction}, and rest-assured pointed at the {@link LambdaRuntimeEmulator}'s front door.
 */
public class OnThePackagedFunction implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

    /** The alert sender the packaged tests use (in AWS its secrets would come from Secrets Manager). */
    static final Map<String, String> WEBHOOK_SENDER = Map.of(
            "webhook.sources", "siem",
            "webhook.siem.format", "generic",
            "webhook.siem.secrets", "siem-old-secret,siem-new-secret");

    /** Everything the packaged function wrote to stdout/stderr (in AWS: its CloudWatch log). */
    public static final Path LOG = Path.of("target", "packaged-function.log");

    private LocalStack stack;
    private LambdaRuntimeEmulator runtime;
    private PackagedFunction function;

    @Override
    public void beforeAll(ExtensionContext context) {
        stack = new LocalStack();
        Map<String, String> config = new HashMap<>(stack.start());
        config.putAll(WEBHOOK_SENDER);
        Path taskRoot = Path.of("target", "packaged-function");
        boolean nativeBuild = PackagedFunction.unpack(PackagedFunction.ZIP, taskRoot);
        runtime = new LambdaRuntimeEmulator();
        function = PackagedFunction.start(taskRoot, nativeBuild, config, runtime, List.of("-XX:MaxRAM=512m"), LOG);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        RestAssured.baseURI = "http://127.0.0.1";
        RestAssured.port = runtime.frontDoorPort();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (function != null) {
            function.close();
        }
        if (runtime != null) {
            runtime.close();
        }
        stack.stop();
    }
}
