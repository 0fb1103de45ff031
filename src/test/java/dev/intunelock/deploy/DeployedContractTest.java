package dev.intunelock.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.intunelock.metrics.Metrics;
import dev.intunelock.testing.Template;
import dev.intunelock.testing.iam.DeployedPolicy;

/**
 * What AWS does with template.yaml before a request reaches the code, held against what the code expects: the HTTP
 * API's authorizer lets through exactly the tokens the function verifies, the routes the API declares are the routes
 * the app serves, and the time limits fit inside each other.
 */
class DeployedContractTest {

    /** The app's routes as the build documents them (OpenApiDocumentTest keeps src/docs/openapi.yaml equal to it). */
    private static final Path APP_ROUTES = Path.of("target", "openapi", "openapi.json");
    /** Served from META-INF/resources by Quarkus, not by a JAX-RS resource, so not in the OpenAPI document. */
    private static final Set<String> STATIC_PAGES = Set.of("GET /self-service", "GET /self-service/{file+}");

    /** Each HTTP API route the functions' events declare ("GET /v1/locks/{lockId}"), with its authorizer. */
    private static Map<String, String> declaredRoutes() {
        Map<String, String> routes = new TreeMap<>();
        for (String function : Template.functions()) {
            events(function, "HttpApi").forEach(event -> {
                JsonNode properties = event.path("Properties");
                routes.put(properties.path("Method").asText().toUpperCase(Locale.ROOT) + " "
                        + properties.path("Path").asText(),
                        properties.path("Auth").path("Authorizer").asText("default"));
            });
        }
        return routes;
    }

    /** The function's events of {@code type}. */
    private static List<JsonNode> events(String function, String type) {
        List<JsonNode> events = new ArrayList<>();
        for (Iterator<JsonNode> all = Template.function(function).path("Events").elements(); all.hasNext();) {
            JsonNode event = all.next();
            if (type.equals(event.path("Type").asText())) {
                events.add(event);
            }
        }
        return events;
    }

    /** The one function with events of {@code type}. */
    private static String invokedBy(String type) {
        List<String> functions = Template.functions().stream().filter(name -> !events(name, type).isEmpty())
                .toList();
        assertEquals(1, functions.size(), type + " events on " + functions);
        return functions.get(0);
    }

    private static Set<String> appRoutes() throws IOException {
        JsonNode document = new ObjectMapper().readTree(Files.readString(APP_ROUTES));
        Set<String> routes = new TreeSet<>();
        document.path("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(
                method -> routes.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey())));
        return routes;
    }

    @Test
    void theHttpApisAuthorizerAcceptsExactlyTheIssuerAndAudienceTheFunctionVerifies() {
        JsonNode auth = Template.resource("LockApi").path("Properties").path("Auth");
        assertEquals("EntraId", auth.path("DefaultAuthorizer").asText());
        JsonNode jwt = auth.path("Authorizers").path("EntraId").path("JwtConfiguration");
        JsonNode environment = Template.functionEnvironment();

        assertEquals(environment.path("MP_JWT_VERIFY_ISSUER"), jwt.path("issuer"));
        assertEquals(1, jwt.path("audience").size(), "one audience: " + jwt);
        assertEquals(environment.path("MP_JWT_VERIFY_AUDIENCES"), jwt.path("audience").get(0));
        assertEquals("https://login.microsoftonline.com/${IntuneTenantId}/v2.0",
                environment.path("MP_JWT_VERIFY_ISSUER").path("Fn::Sub").asText(), "Entra ID's v2.0 issuer");
        assertEquals("https://login.microsoftonline.com/${IntuneTenantId}/discovery/v2.0/keys",
                environment.path("MP_JWT_VERIFY_PUBLICKEY_LOCATION").path("Fn::Sub").asText(),
                "the same tenant's v2.0 signing keys");
        // A v2.0 token's audience is the API's client id, so the parameter must be one (a GUID).
        assertTrue(Template.json().path("Parameters").path("ApiAudience").path("AllowedPattern").asText()
                .contains("[0-9a-fA-F]{8}-"), "ApiAudience is constrained to a client id");
    }

    @Test
    void everyRouteTheApiDeclaresIsServedByTheAppAndEveryAppRouteIsDeclared() throws IOException {
        Set<String> declared = new TreeSet<>(declaredRoutes().keySet());
        assertTrue(declared.containsAll(STATIC_PAGES), "the self-service page is routed: " + declared);
        assertTrue(Files.exists(Path.of("src", "main", "resources", "META-INF", "resources", "self-service",
                "index.html")), "the page the route serves exists");
        declared.removeAll(STATIC_PAGES);
        assertEquals(appRoutes(), declared);
    }

    @Test
    void onlyRoutesThatAuthenticateTheirCallerThemselvesGoWithoutTheAuthorizer() {
        Set<String> open = new TreeSet<>();
        declaredRoutes().forEach((route, authorizer) -> {
            if ("NONE".equals(authorizer)) {
                open.add(route);
            }
        });
        // Webhooks prove their sender by signature or shared secret; the page and its configuration are public.
        assertEquals(new TreeSet<>(Set.of("POST /v1/webhooks/{source}", "GET /v1/self-service/config",
                "GET /self-service", "GET /self-service/{file+}")), open);
    }

    @Test
    void theInternalEntriesHaveNoRouteInTheApi() {
        assertTrue(declaredRoutes().keySet().stream().noneMatch(route -> route.contains("/internal/")),
                "" + declaredRoutes());
    }

    @Test
    void everyDeadlineOfTheFunctionEndsBeforeLambdaStopsItAndTheQueueWaitsLongEnough() throws Exception {
        Duration timeout = Duration.ofSeconds(Template.json().path("Globals").path("Function").path("Timeout")
                .asLong());
        for (String function : Template.functions()) {
            assertTrue(Template.resource(function).path("Properties").path("Timeout").isMissingNode(),
                    function + " takes the global timeout");
        }
        Duration lastGraphCall = (Duration) constant("dev.intunelock.intune.GraphDeadline", "ATTEMPT_MAX");
        Map<String, Duration> deadlines = Map.of(
                "a lock's attempts", (Duration) constant("dev.intunelock.lock.LockBounds", "ATTEMPT_BUDGET"),
                "the retry sweep", (Duration) constant("dev.intunelock.sweep.RetrySweep", "BUDGET"),
                "a webhook delivery", (Duration) constant("dev.intunelock.webhook.WebhookService", "DELIVERY_BUDGET"),
                "a batch worker's invocation", Duration.parse("PT" + Class.forName("dev.intunelock.batch.BatchWorkResource")
                        .getDeclaredField("budget").getAnnotation(ConfigProperty.class).defaultValue()));
        deadlines.forEach((what, deadline) -> assertTrue(deadline.plus(lastGraphCall).compareTo(timeout) < 0,
                what + ": " + deadline + " and a last Graph call of " + lastGraphCall + " end after " + timeout));
        // HTTP API's integration timeout is at most 30 s: the function answers before API Gateway gives up.
        assertTrue(timeout.compareTo(Duration.ofSeconds(30)) < 0, "" + timeout);

        long visibility = Template.resource("LockWorkQueue").path("Properties").path("VisibilityTimeout").asLong();
        // Lambda's advice for an SQS event source: a visibility timeout of at least six times the function's timeout.
        assertTrue(visibility >= 6 * timeout.toSeconds(), visibility + " s < 6 × " + timeout);
    }

    @Test
    void theApiAndTheWebhooksCannotTakeTheConcurrencyTheBatchWorkersAndTheRetrySweepNeed() {
        String api = invokedBy("HttpApi");
        String workers = invokedBy("SQS");
        String sweep = invokedBy("ScheduleV2");
        assertEquals(3, Set.of(api, workers, sweep).size(), "three functions: " + api + ", " + workers + ", " + sweep);
        for (String function : List.of(api, workers, sweep)) {
            assertTrue(Template.function(function).path("ReservedConcurrentExecutions").isValueNode()
                    || Template.function(function).path("ReservedConcurrentExecutions").has("Ref"),
                    function + " has concurrency of its own");
            Set<String> kinds = new TreeSet<>();
            Template.function(function).path("Events").forEach(event -> kinds.add(event.path("Type").asText()));
            assertEquals(1, kinds.size(), function + " is invoked one way only: " + kinds);
        }
        assertEquals("MaxConcurrency", Template.function(api).path("ReservedConcurrentExecutions").path("Ref")
                .asText());
        // The event source mapping never asks for more than the workers hold (Lambda would throttle the rest).
        assertEquals("BatchConcurrency", Template.function(workers).path("ReservedConcurrentExecutions").path("Ref")
                .asText());
        assertEquals("BatchConcurrency", events(workers, "SQS").get(0).path("Properties").path("ScalingConfig")
                .path("MaximumConcurrency").path("Ref").asText());
        // One sweep at a time, always room for it.
        assertEquals(1, Template.function(sweep).path("ReservedConcurrentExecutions").asInt());
        // One role, so the policy the tests enforce (DeployedPolicy, LockFunction's) is every function's.
        for (String other : List.of(workers, sweep)) {
            JsonNode properties = Template.resource(other).path("Properties");
            assertEquals("[\"" + DeployedPolicy.FUNCTION + "Role\",\"Arn\"]",
                    properties.path("Role").path("Fn::GetAtt").toString(), other);
            assertTrue(properties.path("Policies").isMissingNode(), other + " adds no policy of its own");
        }
        assertEquals(DeployedPolicy.FUNCTION, api);
    }

    @Test
    void whatNeedsAPersonRaisesAnAlarmAndEveryAlarmWatchesAMetricTheFunctionWrites() throws Exception {
        Set<String> written = new TreeSet<>();
        for (Field field : Metrics.class.getFields()) {
            if (field.getType() == String.class && !"NAMESPACE".equals(field.getName())) {
                written.add((String) field.get(null));
            }
        }
        Map<String, JsonNode> alarmed = new TreeMap<>();
        Template.json().path("Resources").fields().forEachRemaining(resource -> {
            JsonNode properties = resource.getValue().path("Properties");
            if ("AWS::CloudWatch::Alarm".equals(resource.getValue().path("Type").asText())
                    && Metrics.NAMESPACE.equals(properties.path("Namespace").asText())) {
                alarmed.put(properties.path("MetricName").asText(), properties);
            }
        });
        assertTrue(written.containsAll(alarmed.keySet()), "alarms on metrics nothing writes: " + alarmed.keySet());
        for (String needsAPerson : Set.of(Metrics.LOCKS_UNCONFIRMED, Metrics.LOCKS_GIVEN_UP, Metrics.BATCHES_GIVEN_UP,
                Metrics.OLDEST_PENDING_LOCK_AGE)) {
            JsonNode alarm = alarmed.get(needsAPerson);
            assertTrue(alarm != null, "no alarm on " + needsAPerson);
            assertEquals("AlarmTopic", alarm.path("AlarmActions").path(0).path("Ref").asText(), needsAPerson);
        }
    }

    private static Object constant(String type, String name) throws ReflectiveOperationException {
        Field field = Class.forName(type).getDeclaredField(name);
        field.setAccessible(true);
        return field.get(null);
    }
}
