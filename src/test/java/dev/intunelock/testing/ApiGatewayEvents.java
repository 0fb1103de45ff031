package dev.intunelock.testing;

import static io.restassured.RestAssured.given;

import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.restassured.path.json.JsonPath;

/**
 * The API Gateway HTTP API (payload format 2.0) event Lambda hands the function for a request, built in one place
 * for the {@link LambdaRuntimeEmulator}'s front door and for {@link #post}, which sends it through the test
 * harness's raw {@code /_lambda_} entry. That entry serves where the plain HTTP entry of the harness does not: it
 * stalls on request bodies over about 32 KiB (large alert groups), which in AWS arrive inside the event like this.
 */
public final class ApiGatewayEvents {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ApiGatewayEvents() {
    }

    /** The function's answer: its HTTP status and its body. */
    public record Answer(int status, JsonPath body) {
    }

    public static Answer post(String path, Map<String, String> headers, byte[] body) {
        Map<String, List<String>> all = new LinkedHashMap<>();
        all.put("content-type", List.of("application/json"));
        return send("POST", path, all, headers, body);
    }

    /** A GET through the raw event entry. */
    public static Answer get(String path, Map<String, String> headers) {
        return send("GET", path, new LinkedHashMap<>(), headers, new byte[0]);
    }

    private static Answer send(String method, String path, Map<String, List<String>> all, Map<String, String> headers,
            byte[] body) {
        headers.forEach((name, value) -> all.put(name, List.of(value)));
        JsonPath response = given().contentType("application/json").body(event(method, path, null, all, body))
                .post(LambdaRuntimeEmulator.RAW_EVENTS).then().statusCode(200).extract().jsonPath();
        return new Answer(response.getInt("statusCode"), JsonPath.from(response.getString("body")));
    }

    /** The event for this request; a JSON or text body travels as text, any other base64-encoded. */
    public static byte[] event(String method, String rawPath, String rawQuery, Map<String, List<String>> headers,
            byte[] body) {
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "2.0");
        event.put("routeKey", "$default");
        event.put("rawPath", rawPath);
        event.put("rawQueryString", rawQuery == null ? "" : rawQuery);
        ObjectNode headerNode = event.putObject("headers");
        headers.forEach((name, values) -> {
            if (name.equalsIgnoreCase("cookie")) {
                values.forEach(value -> List.of(value.split(";\\s*")).forEach(event.withArray("cookies")::add));
            } else {
                headerNode.put(name.toLowerCase(Locale.ROOT), String.join(",", values));
            }
        });
        if (rawQuery != null) {
            ObjectNode query = event.putObject("queryStringParameters");
            for (String pair : rawQuery.split("&")) {
                String[] nameValue = pair.split("=", 2);
                String name = URLDecoder.decode(nameValue[0], StandardCharsets.UTF_8);
                String value = nameValue.length > 1 ? URLDecoder.decode(nameValue[1], StandardCharsets.UTF_8) : "";
                query.put(name, query.has(name) ? query.get(name).asText() + "," + value : value);
            }
        }
        ObjectNode context = event.putObject("requestContext");
        context.put("accountId", "123456789012");
        context.put("apiId", "emulated");
        context.put("domainName", "emulated.execute-api.eu-west-1.amazonaws.com");
        context.put("requestId", UUID.randomUUID().toString());
        context.put("routeKey", "$default");
        context.put("stage", "$default");
        context.put("timeEpoch", System.currentTimeMillis());
        ObjectNode http = context.putObject("http");
        http.put("method", method);
        http.put("path", rawPath);
        http.put("protocol", "HTTP/1.1");
        http.put("sourceIp", "127.0.0.1");
        http.put("userAgent", headerNode.path("user-agent").asText(null));
        String contentType = headerNode.path("content-type").asText("");
        boolean text = contentType.contains("json") || contentType.startsWith("text/");
        if (body.length > 0) {
            event.put("body", text ? new String(body, StandardCharsets.UTF_8)
                    : Base64.getEncoder().encodeToString(body));
        }
        event.put("isBase64Encoded", body.length > 0 && !text);
        try {
            return JSON.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
