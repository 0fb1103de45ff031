package dev.intunelock.selfservice;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.regex.Pattern;

import org.hamcrest.Matcher;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import dev.intunelock.testing.LocalStack;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The self-service page, as the function serves it through the Lambda event path. */
@QuarkusTest
@WithTestResource(LocalStack.class)
class SelfServicePageTest {

    @ParameterizedTest(name = "{0} is served as {1} under the strict policy")
    @CsvSource({
            "/self-service/, text/html",
            "/self-service/app.js, text/javascript",
            "/self-service/app.css, text/css" })
    void everyFileOfThePageIsServedUnderAStrictContentSecurityPolicy(String path, String contentType) {
        given().get(path).then().statusCode(200)
                .contentType(startsWith(contentType))
                .header("Content-Security-Policy", strictPolicy())
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer");
    }

    @Test
    void thePageAddressWithoutItsSlashLeadsToThePage() {
        String location = given().redirects().follow(false).get("/self-service").then().statusCode(302)
                .extract().header("Location");
        // Relative, so that it also holds under an API Gateway stage prefix.
        assertEquals("/self-service/", URI.create("https://api.example/self-service").resolve(location).getPath());
    }

    @Test
    void thePageHasNoInlineScriptOrStyleAndNothingFromAnotherSite() {
        String html = given().get("/self-service/").then().statusCode(200).extract().asString();
        String js = given().get("/self-service/app.js").then().statusCode(200).extract().asString();
        String css = given().get("/self-service/app.css").then().statusCode(200).extract().asString();

        assertTrue(Pattern.compile("<script src=\"app.js\" defer></script>").matcher(html).find(), html);
        assertFalse(Pattern.compile("<script(?![^>]*\\bsrc=)").matcher(html).find(), "an inline script");
        assertFalse(Pattern.compile("<style|\\sstyle=|\\son[a-z]+=").matcher(html).find(), "inline style or handler");
        for (String file : new String[] { html, js, css }) {
            assertFalse(Pattern.compile("(https?:)?//[a-z0-9.-]+\\.[a-z]{2,}/").matcher(file).find(),
                    "a third-party address");
        }
        assertFalse(js.contains("innerHTML"), "the page never parses server text as HTML");
    }

    @Test
    void thePageIsLabelledForAssistiveTechnology() {
        String html = given().get("/self-service/").then().statusCode(200).extract().asString();
        assertTrue(html.contains("<html lang=\"en\">"));
        assertTrue(html.contains("name=\"viewport\""), "readable on a phone");
        assertTrue(html.contains("<label for=\"note\">"), "the note has a label");
        assertTrue(html.contains("role=\"status\"") && html.contains("role=\"alert\""), "changes are announced");
    }

    @Test
    void theConfigIsPublicAndTellsThePageWhereToSignIn() {
        given().get("/v1/self-service/config").then().statusCode(200)
                .body("signInConfigured", equalTo(true))
                .body("authority", equalTo(LocalStack.sandboxUrl() + "/" + LocalStack.TENANT))
                .body("clientId", equalTo(LocalStack.SELF_SERVICE_CLIENT_ID))
                .body("scope", equalTo(LocalStack.AUDIENCE + "/SelfService.Lock"))
                .body("helpdeskContact", equalTo(LocalStack.HELPDESK_CONTACT))
                .body("locksPerHour", equalTo(3));
    }

    private static Matcher<String> strictPolicy() {
        return allOf(containsString("default-src 'none'"), containsString("script-src 'self';"),
                containsString("style-src 'self';"),
                containsString("connect-src 'self' " + LocalStack.sandboxUrl() + "/" + LocalStack.TENANT
                        + "/oauth2/v2.0/token;"),
                containsString("frame-ancestors 'none'"), containsString("base-uri 'none'"));
    }
}
