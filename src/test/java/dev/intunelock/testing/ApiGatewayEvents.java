package dev.intunelock.testing;

import static io.restassured.RestAssured.given;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import io.restassured.path.json.JsonPath;

/**
 * Requests posted as the API Gateway HTTP API (v2) event Lambda hands the function, through the mock event server's
 * raw {@code /_lambda_} entry. Used where the plain HTTP entry of the test harness does not serve: it stalls on
 * request bodies over about 32 KiB (large alert groups), which in AWS arrive inside the event like this.
 */
public final class ApiGatewayEvents {

    private ApiGatewayEvents() {
    }

    /** The function's answer: its HTTP status and its body. */
    public record Answer(int status, JsonPath body) {
    }

    public static Answer post(String path, Map<String, String> headers, byte[] body) {
        StringBuilder headerJson = new StringBuilder("\"content-type\":\"application/json\"");
        headers.forEach((name, value) -> headerJson.append(",\"").append(name.toLowerCase()).append("\":\"")
                .append(quoted(value)).append('"'));
        String event = """
                {"version":"2.0","routeKey":"$default","rawPath":"%s","rawQueryString":"","headers":{%s},
                 "requestContext":{"http":{"method":"POST","path":"%s","protocol":"HTTP/1.1","sourceIp":"127.0.0.1"}},
                 "body":"%s","isBase64Encoded":false}"""
                .formatted(path, headerJson, path, quoted(new String(body, StandardCharsets.UTF_8)));
        JsonPath response = given().contentType("application/json").body(event).post("/_lambda_").then()
                .statusCode(200).extract().jsonPath();
        return new Answer(response.getInt("statusCode"), JsonPath.from(response.getString("body")));
    }

    private static String quoted(String text) {
        return new String(JsonStringEncoder.getInstance().quoteAsString(text));
    }
}
