package dev.intunelock.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;

/**
 * WireMock stubs shaped like Microsoft Graph's Intune API, after the examples in Microsoft's docs:
 * {@code GET managedDevices/{id}}, {@code POST managedDevices/{id}/remoteLock} (204) and Graph's error body.
 */
public final class GraphStubs {

    /** Devices are read from beta (it has deviceType); the lock command goes to v1.0. */
    public static final String DEVICES = "/beta/deviceManagement/managedDevices/";
    public static final String LOCK_COMMANDS = "/v1.0/deviceManagement/managedDevices/";

    private GraphStubs() {
    }

    public static String newDeviceId() {
        return UUID.randomUUID().toString();
    }

    static void tokenEndpoint(WireMockServer graph) {
        graph.stubFor(post(urlEqualTo("/" + LocalStack.TENANT + "/oauth2/v2.0/token"))
                .withRequestBody(containing("grant_type=client_credentials"))
                .withRequestBody(containing("client_id=test-client"))
                .withRequestBody(containing("client_secret=test-secret"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"token_type\":\"Bearer\",\"expires_in\":3599,\"ext_expires_in\":3599,"
                                + "\"access_token\":\"graph-test-token\"}")));
    }

    /** A device Intune knows, of the given Graph {@code deviceType}, with these action results. */
    public static void device(String id, String deviceType, String... actionResults) {
        LocalStack.graph().stubFor(get(urlPathEqualTo(DEVICES + id))
                .willReturn(json(200, deviceJson(id, deviceType, actionResults))));
    }

    /** Graph's answer to {@code GET managedDevices?$filter=<filter>}: these devices (as {@link #deviceJson}). */
    public static void devicesWhere(String filter, String... deviceJsons) {
        LocalStack.graph().stubFor(get(urlPathEqualTo("/beta/deviceManagement/managedDevices"))
                .withQueryParam("$filter", com.github.tomakehurst.wiremock.client.WireMock.equalTo(filter))
                .willReturn(json(200, """
                        {"@odata.context":"https://graph.microsoft.com/beta/$metadata#deviceManagement/managedDevices",
                         "value":[%s]}""".formatted(String.join(",", deviceJsons)))));
    }

    /**
     * Graph's answer to {@code $filter=<filter>} over several pages of {@code pageSize} devices: each page but the last
     * carries an absolute {@code @odata.nextLink} holding the filter and a {@code $skiptoken} (Graph's "Paging
     * Microsoft Graph data in your app"); the last has none.
     */
    public static void devicesWhereInPages(String filter, int pageSize, List<String> deviceJsons) {
        int pages = Math.max(1, (deviceJsons.size() + pageSize - 1) / pageSize);
        for (int page = 0; page < pages; page++) {
            List<String> devices = deviceJsons.subList(page * pageSize,
                    Math.min(deviceJsons.size(), (page + 1) * pageSize));
            String nextLink = page + 1 < pages
                    ? ",\"@odata.nextLink\":\"" + LocalStack.graph().baseUrl() + "/beta/deviceManagement/managedDevices?"
                            + "$filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8)
                                    .replace("+", "%20")
                            + "&$skiptoken=page" + (page + 1) + "\""
                    : "";
            var request = get(urlPathEqualTo("/beta/deviceManagement/managedDevices"))
                    .withQueryParam("$filter", WireMock.equalTo(filter));
            request = page == 0 ? request.withQueryParam("$skiptoken", WireMock.absent())
                    : request.withQueryParam("$skiptoken",
                            WireMock.equalTo("page" + page));
            LocalStack.graph().stubFor(request.willReturn(json(200, """
                    {"@odata.context":"https://graph.microsoft.com/beta/$metadata#deviceManagement/managedDevices",
                     "value":[%s]%s}""".formatted(String.join(",", devices), nextLink))));
        }
    }

    /** A user's devices listed by UPN, {@code pageSize} a page ({@link #devicesWhereInPages}). */
    public static void devicesListedForUpnInPages(String upn, int pageSize, List<String> deviceJsons) {
        devicesWhereInPages("userPrincipalName eq '" + upn + "'", pageSize, deviceJsons);
    }

    public static void noSuchDevice(String id) {
        LocalStack.graph().stubFor(get(urlPathEqualTo(DEVICES + id))
                .willReturn(graphError(404, "ResourceNotFound", "Resource not found", UUID.randomUUID().toString())));
    }

    public static void remoteLockAccepted(String id) {
        LocalStack.graph().stubFor(post(urlEqualTo(LOCK_COMMANDS + id + "/remoteLock"))
                .willReturn(aResponse().withStatus(204).withHeader("request-id", UUID.randomUUID().toString())));
    }

    /**
     * Graph accepts the device's remoteLock (204) while Intune's write limit has room: at most {@code limit} of every
     * stub made so together in any {@code windowMillis}, the rest answered 429 with a {@code Retry-After}.
     */
    public static void remoteLockLimited(String id, int limit, long windowMillis) {
        LocalStack.graph().stubFor(post(urlEqualTo(LOCK_COMMANDS + id + "/remoteLock"))
                .willReturn(aResponse().withStatus(204).withHeader("request-id", UUID.randomUUID().toString())
                        .withTransformers(GraphWriteLimit.NAME)
                        .withTransformerParameters(GraphWriteLimit.of(limit, windowMillis))));
    }

    /**
     * A device as Intune shows it around a lock: no action results until Graph has accepted a remoteLock for it
     * (204), and these results from then on, as when Intune lists the command it just took.
     */
    public static void listsAfterLock(String id, String deviceType, String... resultsAfterLock) {
        device(id, deviceType);
        afterLockShows(id, deviceJson(id, deviceType, resultsAfterLock));
    }

    /**
     * Graph accepts a remoteLock for the device (204), and from then on reads of the device answer
     * {@code deviceJsonAfterLock}; before, they answer as stubbed so far.
     */
    public static void afterLockShows(String id, String deviceJsonAfterLock) {
        String scenario = "intune-" + id + "-" + UUID.randomUUID();
        LocalStack.graph().stubFor(get(urlPathEqualTo(DEVICES + id)).inScenario(scenario)
                .whenScenarioStateIs("locked").willReturn(json(200, deviceJsonAfterLock)));
        LocalStack.graph().stubFor(post(urlEqualTo(LOCK_COMMANDS + id + "/remoteLock")).inScenario(scenario)
                .willSetStateTo("locked")
                .willReturn(aResponse().withStatus(204).withHeader("request-id", UUID.randomUUID().toString())));
    }

    /** Graph answers the device's first remoteLock with {@code first} (a 429, say), and accepts the next (204). */
    public static void remoteLockAnswersOnceThenAccepts(String id, ResponseDefinitionBuilder first) {
        String scenario = "once-" + id;
        LocalStack.graph().stubFor(post(urlEqualTo(LOCK_COMMANDS + id + "/remoteLock")).inScenario(scenario)
                .whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
                .willSetStateTo("answered once").willReturn(first));
        LocalStack.graph().stubFor(post(urlEqualTo(LOCK_COMMANDS + id + "/remoteLock")).inScenario(scenario)
                .whenScenarioStateIs("answered once")
                .willReturn(aResponse().withStatus(204).withHeader("request-id", UUID.randomUUID().toString())));
    }

    /**
     * Graph throttles the device's remoteLock {@code times} times (429, {@code Retry-After: 1}, Graph's error body),
     * then accepts it.
     */
    public static void remoteLockThrottledThenAccepts(String id, int times) {
        String scenario = "throttled-" + id;
        for (int i = 0; i < times; i++) {
            LocalStack.graph().stubFor(post(urlEqualTo(LOCK_COMMANDS + id + "/remoteLock")).inScenario(scenario)
                    .whenScenarioStateIs(i == 0 ? com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED
                            : "throttled " + i)
                    .willSetStateTo("throttled " + (i + 1))
                    .willReturn(graphError(429, "TooManyRequests", "Too many requests", "req-429-" + i)
                            .withHeader("Retry-After", "1")));
        }
        LocalStack.graph().stubFor(post(urlEqualTo(LOCK_COMMANDS + id + "/remoteLock")).inScenario(scenario)
                .whenScenarioStateIs("throttled " + times)
                .willReturn(aResponse().withStatus(204).withHeader("request-id", UUID.randomUUID().toString())));
    }

    public static void remoteLockAnswers(String id, ResponseDefinitionBuilder answer) {
        LocalStack.graph().stubFor(post(urlEqualTo(LOCK_COMMANDS + id + "/remoteLock")).willReturn(answer));
    }

    public static int remoteLockCalls(String id) {
        return LocalStack.graph().countRequestsMatching(
                postRequestedFor(urlEqualTo(LOCK_COMMANDS + id + "/remoteLock")).build()).getCount();
    }

    public static String remoteLockResult(String state, Instant started) {
        return """
                {"@odata.type":"#microsoft.graph.remoteLockActionResult","actionName":"remoteLock",\
                "actionState":"%s","startDateTime":"%s","lastUpdatedDateTime":"%s","unlockPin":null}"""
                .formatted(state, started, started.plusSeconds(30));
    }

    /** A Mac's remote-lock result as Graph shows it, with Intune's recovery PIN (null while not set). */
    public static String macLockResult(String state, Instant started, String unlockPin) {
        return """
                {"@odata.type":"#microsoft.graph.remoteLockActionResult","actionName":"remoteLock",\
                "actionState":"%s","startDateTime":"%s","lastUpdatedDateTime":"%s","unlockPin":%s}"""
                .formatted(state, started, started.plusSeconds(5), unlockPin == null ? "null" : "\"" + unlockPin + "\"");
    }

    public static String actionResult(String action, String state, Instant started) {
        return """
                {"@odata.type":"#microsoft.graph.deviceActionResult","actionName":"%s","actionState":"%s",\
                "startDateTime":"%s","lastUpdatedDateTime":"%s"}""".formatted(action, state, started, started);
    }

    public static ResponseDefinitionBuilder graphError(int status, String code, String message, String requestId) {
        return json(status, """
                {"error":{"code":"%s","message":"%s","innerError":{"date":"%s","request-id":"%s",\
                "client-request-id":"%s"}}}""".formatted(code, message, Instant.now(), requestId,
                UUID.randomUUID())).withHeader("request-id", requestId);
    }

    static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    /**
     * A device registered to {@code owner}: answers Graph's GET by id, and returns its JSON for
     * {@link #devicesListedFor}.
     */
    public static String deviceOf(String owner, String id, String deviceType, String name, String... actionResults) {
        String body = ownedDeviceJson(id, deviceType, owner, name, actionResults);
        LocalStack.graph().stubFor(get(urlPathEqualTo(DEVICES + id)).willReturn(json(200, body)));
        return body;
    }

    /** Graph's answer to {@code $filter=userId eq '<the user's object id>'}: a page holding these devices. */
    public static void devicesListedFor(String upn, String... deviceJsons) {
        devicesListedForObjectId(Tokens.objectIdOf(upn), deviceJsons);
    }

    public static void devicesListedForObjectId(String objectId, String... deviceJsons) {
        devicesWhere("userId eq '" + objectId + "'", deviceJsons);
    }

    /** Graph's answer to {@code $filter=userPrincipalName eq '<upn>'} (a batch or an alert naming the user). */
    public static void devicesListedForUpn(String upn, String... deviceJsons) {
        devicesWhere("userPrincipalName eq '" + upn + "'", deviceJsons);
    }

    /** The managedDevice JSON of Graph's "Get managedDevice" example, with our id, type and action results. */
    public static String deviceJson(String id, String deviceType, String... actionResults) {
        return namedDeviceJson(id, deviceType, "Test " + deviceType, actionResults);
    }

    public static String namedDeviceJson(String id, String deviceType, String deviceName, String... actionResults) {
        return ownedDeviceJson(id, deviceType, "owner@contoso.example", deviceName, actionResults);
    }

    /** The same, registered to {@code owner}. */
    public static String ownedDeviceJson(String id, String deviceType, String owner, String deviceName,
            String... actionResults) {
        String os = switch (deviceType) {
            case "mac", "macMDM" -> "macOS";
            case "iPhone", "iPad", "iPod" -> "iOS";
            case "android", "androidEnterprise", "androidForWork" -> "Android";
            case "desktop", "windowsPhone", "surfaceHub", "holoLens" -> "Windows";
            default -> "Other";
        };
        return """
                {"@odata.context":"https://graph.microsoft.com/beta/$metadata#deviceManagement/managedDevices/$entity",
                 "@odata.type":"#microsoft.graph.managedDevice","id":"%s","userId":%s,
                 "deviceName":"%s","managedDeviceOwnerType":"company","enrolledDateTime":"2025-01-10T09:00:00Z",
                 "lastSyncDateTime":"2026-11-24T08:30:00Z","operatingSystem":"%s","complianceState":"compliant",
                 "jailBroken":"False","managementAgent":"mdm","osVersion":"1.0","easActivated":false,
                 "deviceType":"%s","model":"Model","manufacturer":"Maker","serialNumber":"SN%s",
                 "userPrincipalName":"%s","emailAddress":"%s",
                 "azureADDeviceId":"%s","managementState":"managed","deviceActionResults":[%s]}"""
                .formatted(id, owner == null || owner.isBlank() ? "null" : "\"" + Tokens.objectIdOf(owner) + "\"", deviceName, os, deviceType, id.substring(0, 8).toUpperCase(),
                        owner, owner, UUID.randomUUID(), String.join(",", List.of(actionResults)));
    }
}
