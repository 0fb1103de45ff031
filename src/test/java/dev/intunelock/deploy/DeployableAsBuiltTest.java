package dev.intunelock.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.intunelock.testing.Template;

/** template.yaml deploys what the build made: the runtime follows the Build parameter, never the other way round. */
class DeployableAsBuiltTest {

    static final String QUARKUS_LAMBDA_HANDLER = "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest";

    final JsonNode function = Template.function("LockFunction");

    @Test
    void theNativeBuildRunsOnProvidedAl2023AndTheJvmBuildOnJava21WithQuarkusHandler() {
        JsonNode build = Template.json().path("Parameters").path("Build");
        assertEquals("native", build.path("Default").asText());
        assertEquals(List.of("native", "jvm"), List.of(build.path("AllowedValues").get(0).asText(),
                build.path("AllowedValues").get(1).asText()));
        assertEquals("[\"IsJvm\",\"java21\",\"provided.al2023\"]", function.path("Runtime").path("Fn::If").toString());
        assertEquals("IsJvm", function.path("Handler").path("Fn::If").get(0).asText());
        assertEquals(QUARKUS_LAMBDA_HANDLER, function.path("Handler").path("Fn::If").get(1).asText());
        assertEquals("target/function.zip", function.path("CodeUri").asText());
        assertEquals("[{\"Equals\":[{\"Ref\":\"Build\"},\"jvm\"]}]".replace("Equals", "Fn::Equals"),
                "[" + Template.json().path("Conditions").path("IsJvm").toString() + "]");
    }

    @Test
    void theJvmBuildGetsSnapStartOnAPublishedAliasAndMoreMemory() {
        assertEquals("live", function.path("AutoPublishAlias").asText());
        assertEquals("[\"IsJvm\",\"PublishedVersions\",\"None\"]",
                function.path("SnapStart").path("ApplyOn").path("Fn::If").toString());
        assertEquals("[\"IsJvm\",512,256]", function.path("MemorySize").path("Fn::If").toString());
    }

    @Test
    void theNativeBuildTargetsTheTemplatesArchitectureWithABuilderImagePinnedByVersion() throws Exception {
        assertEquals("arm64", Template.json().path("Parameters").path("Architecture").path("Default").asText());
        assertEquals("Architecture", function.path("Architectures").get(0).path("Ref").asText());
        String pom = Files.readString(Path.of("pom.xml"));
        Matcher image = Pattern.compile("<quarkus.native.builder-image>([^<]+)</quarkus.native.builder-image>")
                .matcher(pom);
        assertTrue(image.find(), "the native profile names its builder image");
        assertTrue(image.group(1).matches(".*:\\d+\\.\\d+\\.\\d+\\.\\d+-Final-java\\d+"),
                "a released Mandrel version, not a moving tag: " + image.group(1));
        assertTrue(pom.contains("<native.platform>linux/arm64</native.platform>"));
        assertTrue(pom.contains("--platform=${native.platform}"));
    }

    @Test
    void anOperatorGetsBoundedConcurrencyThrottlingAccessLogsAndRetainedData() {
        assertEquals("MaxConcurrency", function.path("ReservedConcurrentExecutions").path("Ref").asText());
        assertEquals("GraphWritesPer20s", function.path("Environment").path("Variables").path("GRAPH_WRITES_PER_20S")
                .path("Ref").asText(), "the Graph write budget is the operator's to set");
        assertEquals(200, Template.json().path("Parameters").path("GraphWritesPer20s").path("MaxValue").asInt(),
                "never above Intune's own limit per app and tenant");
        JsonNode api = Template.resource("LockApi").path("Properties");
        assertTrue(api.path("DefaultRouteSettings").path("ThrottlingRateLimit").asInt() > 0);
        assertTrue(api.path("DefaultRouteSettings").path("ThrottlingBurstLimit").asInt() > 0);
        String format = api.path("AccessLogSettings").path("Format").asText();
        assertTrue(format.contains("$context.requestId") && format.contains("$context.status"), format);
        assertFalse(format.contains("authorization") || format.contains("$context.authorizer"), "no credentials in logs");
        for (String table : List.of("LocksTable", "AuditTable")) {
            assertEquals("Retain", Template.resource(table).path("DeletionPolicy").asText(), table);
            assertEquals("Retain", Template.resource(table).path("UpdateReplacePolicy").asText(), table);
        }
        assertEquals("Delete", Template.resource("PinKeysTable").path("DeletionPolicy").asText(),
                "deleting the stack destroys every PIN's key");
        JsonNode outputs = Template.json().path("Outputs");
        assertTrue(outputs.path("SelfServicePageUrl").path("Value").toString().endsWith("/self-service/\"}"));
        assertTrue(outputs.path("WebhookUrlPattern").path("Value").toString().contains("/v1/webhooks/{source}"));
    }
}
