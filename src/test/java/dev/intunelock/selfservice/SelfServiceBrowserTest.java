package dev.intunelock.selfservice;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.intunelock.testing.GraphStubs.deviceOf;
import static dev.intunelock.testing.GraphStubs.devicesListedFor;
import static dev.intunelock.testing.GraphStubs.macLockResult;
import static dev.intunelock.testing.GraphStubs.remoteLockAccepted;
import static dev.intunelock.testing.GraphStubs.remoteLockCalls;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.github.tomakehurst.wiremock.stubbing.StubMapping;

import dev.intunelock.testing.GraphStubs;
import dev.intunelock.testing.HeadlessChromium;
import dev.intunelock.testing.LocalStack;
import dev.intunelock.testing.TestPins;
import dev.intunelock.testing.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;

/**
 * The self-service page in a real browser: it signs in at the sandbox's Entra ID stand-in as a sandbox user (code +
 * PKCE), lists that user's devices (Graph is WireMock), locks the lost Mac and shows the helpdesk PIN notice.
 */
@QuarkusTest
@WithTestResource(LocalStack.class)
class SelfServiceBrowserTest {

    // The sandbox users of src/local/sandbox-devices.json, and their devices' ids there.
    static final String ALICE = "alice@contoso.example";
    static final String BOB = "bob@contoso.example";
    static final String ALICES_MAC = "d9fd671d-7478-4aae-8d90-1244a5967e25";
    static final String ALICES_IPHONE = "70499de5-b388-4070-a4b5-a326f4126d84";
    static final String BOBS_PIXEL = "23b058b7-9cb9-477a-baa3-21dbb947e3dd";
    static final String BOBS_DESKTOP = "cfa8bbf9-5ea2-48df-b1ea-a6f152ea318b";
    static final Path SCREENSHOTS = Path.of("target", "self-service");

    ChromeDriver browser;
    WebDriverWait wait;

    @BeforeEach
    void openBrowser() {
        browser = HeadlessChromium.start();
        wait = new WebDriverWait(browser, Duration.ofSeconds(15));
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void aSandboxUserLocksTheirLostMacAndAnotherUserNeverSeesIt() throws IOException {
        String pin = TestPins.next();
        devicesListedFor(ALICE,
                deviceOf(ALICE, ALICES_MAC, "macMDM", "Alice's MacBook Pro",
                        macLockResult("pending", Instant.now(), pin)),
                deviceOf(ALICE, ALICES_IPHONE, "iPhone", "Alice's iPhone"));
        devicesListedFor(BOB,
                deviceOf(BOB, BOBS_PIXEL, "androidEnterprise", "Bob's Pixel 8"),
                deviceOf(BOB, BOBS_DESKTOP, "desktop", "CONTOSO-WS-0427"));
        remoteLockAccepted(ALICES_MAC);

        browser.get(pageUrl());
        signInAs("Alice Martin");
        assertEquals(List.of("Alice's iPhone", "Alice's MacBook Pro"), listedDevices());
        assertEquals("pick-title", browser.switchTo().activeElement().getAttribute("id"),
                "after sign-in, focus lands on the first heading");
        screenshot("devices.png");

        browser.findElement(By.cssSelector("label[for='" + radioFor(ALICES_MAC).getAttribute("id") + "']")).click();
        browser.findElement(By.id("note")).sendKeys("Left it on the 8:15 train");
        browser.findElement(By.id("continue")).click();

        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-heading")));
        browser.navigate().back(); // the phone's Back button: to the list, not off the page to the sign-in chooser
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("pick-step")));
        assertTrue(browser.getCurrentUrl().startsWith(pageUrl()), browser.getCurrentUrl());
        assertTrue(radioFor(ALICES_MAC).isSelected(), "the choice is kept");
        browser.findElement(By.id("continue")).click();

        WebElement confirm = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-heading")));
        assertEquals("Lock Alice's MacBook Pro?", confirm.getText());
        assertTrue(browser.findElement(By.id("confirm-mac")).isDisplayed(), "a Mac's PIN is explained up front");
        assertEquals(confirm, browser.switchTo().activeElement(), "focus moves to the question");
        browser.switchTo().activeElement().sendKeys(Keys.TAB); // by keyboard: Tab to "Yes, lock it", Enter
        assertEquals("Yes, lock it", browser.switchTo().activeElement().getText());
        browser.switchTo().activeElement().sendKeys(Keys.ENTER);

        WebElement done = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("done-heading")));
        assertEquals("Lock sent", done.getText());
        WebElement pinNotice = browser.findElement(By.id("pin-notice"));
        assertTrue(pinNotice.isDisplayed(), "the PIN notice is shown for a Mac");
        assertTrue(pinNotice.getText().contains("holds it for 30 days"), pinNotice.getText());
        assertEquals("tel:+15550100", pinNotice.findElement(By.cssSelector("a[href^='tel:']")).getAttribute("href"),
                "the helpdesk is a tap away: " + LocalStack.HELPDESK_CONTACT);
        assertEquals("mailto:helpdesk@contoso.example",
                pinNotice.findElement(By.cssSelector("a[href^='mailto:']")).getAttribute("href"));
        screenshot("lock-sent.png");
        assertFalse(browser.getPageSource().contains(pin), "the page never shows the recovery PIN");
        assertEquals(1, remoteLockCalls(ALICES_MAC));

        browser.findElement(By.id("back")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("device-list"),
                "The helpdesk holds its recovery PIN until"));
        assertFalse(radioFor(ALICES_MAC).isEnabled(), "a Mac locked with its PIN outstanding cannot be picked again");
        screenshot("devices-with-a-locked-mac.png");

        browser.navigate().refresh(); // a reload keeps her signed in (this tab's session)
        assertEquals(List.of("Alice's iPhone", "Alice's MacBook Pro"), listedDevices());

        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-out"))).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "You are signed out."));
        signInAs("Bob Novak");
        assertEquals(List.of("Bob's Pixel 8", "CONTOSO-WS-0427"), listedDevices());
        assertFalse(browser.getPageSource().contains("Alice's MacBook Pro"), "Bob never sees Alice's Mac");
        assertFalse(radioFor(BOBS_DESKTOP).isEnabled(), "a Windows desktop cannot be picked");
        WebElement desktop = browser.findElement(By.cssSelector("label[for='"
                + radioFor(BOBS_DESKTOP).getAttribute("id") + "']"));
        assertTrue(desktop.getText().contains("Windows computers cannot be locked from this page"), desktop.getText());
        assertEquals("tel:+15550100", desktop.findElement(By.cssSelector("a[href^='tel:']")).getAttribute("href"),
                "the dead end says whom to call, with a working link");
        assertTrue(desktop.findElement(By.cssSelector("a[href^='tel:']")).getSize().getHeight() >= 44,
                "a touch target at least 44 px high");
        screenshot("devices-of-another-user.png");
    }

    @Test
    void aSignInThatDidNotCompleteSaysWhatToDoNextInPlainWords() throws IOException {
        browser.get(pageUrl() + "?error=access_denied&error_description="
                + "AADSTS65004%3A+User+declined+to+consent+to+access+the+app.&state=not-ours");
        WebElement alert = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("alert")));
        assertTrue(alert.getText().contains("Sign-in was cancelled or did not complete"), alert.getText());
        assertFalse(alert.getText().contains("AADSTS"), "no identity-platform jargon: " + alert.getText());
        assertEquals("tel:+15550100", alert.findElement(By.cssSelector("a[href^='tel:']")).getAttribute("href"));
        assertTrue(browser.findElement(By.id("sign-in")).isDisplayed(), "signing in again is one tap away");
        screenshot("sign-in-cancelled.png");
    }

    @Test
    void theHourlyLimitAndAnOutageEachSayWhatToDoNextWithTheHelpdeskATapAway() throws IOException {
        devicesListedFor(BOB,
                deviceOf(BOB, BOBS_PIXEL, "androidEnterprise", "Bob's Pixel 8"),
                deviceOf(BOB, BOBS_DESKTOP, "desktop", "CONTOSO-WS-0427"));
        for (int attempt = 0; attempt < 3; attempt++) { // every attempt counts, refused ones too
            SelfServiceApi.lock(BOB, BOBS_DESKTOP).statusCode(422);
        }
        browser.get(pageUrl());
        signInAs("Bob Novak");
        browser.findElement(By.cssSelector("label[for='" + radioFor(BOBS_PIXEL).getAttribute("id") + "']")).click();
        browser.findElement(By.id("continue")).click();
        wait.until(ExpectedConditions.elementToBeClickable(By.id("confirm-lock"))).click();

        WebElement limit = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("alert")));
        assertTrue(limit.getText().contains("limit of 3 lock requests per hour")
                && limit.getText().contains("every request counts"), limit.getText());
        assertEquals("tel:+15550100", limit.findElement(By.cssSelector("a[href^='tel:']")).getAttribute("href"));
        assertEquals(0, remoteLockCalls(BOBS_PIXEL));
        screenshot("limit-reached.png");

        StubMapping intuneDown = LocalStack.graph().stubFor(get(urlPathEqualTo("/beta/deviceManagement/managedDevices"))
                .withQueryParam("$filter", equalTo("userId eq '" + Tokens.objectIdOf(BOB) + "'")).atPriority(1)
                .willReturn(GraphStubs.graphError(503, "ServiceUnavailable", "Service unavailable", "req-outage")));
        try {
            browser.navigate().refresh();
            WebElement outage = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("alert")));
            assertTrue(outage.getText().contains("nothing has been locked"), outage.getText());
            assertEquals("tel:+15550100",
                    outage.findElement(By.cssSelector("a[href^='tel:']")).getAttribute("href"));
            screenshot("outage.png");
        } finally {
            LocalStack.graph().removeStub(intuneDown);
            CircuitBreakerMaintenance.get().resetAll();
        }
    }

    /** For a person to look at: target/self-service/*.png. */
    private void screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Files.write(SCREENSHOTS.resolve(name), browser.getScreenshotAs(OutputType.BYTES));
    }

    private void signInAs(String displayName) {
        wait.until(ExpectedConditions.elementToBeClickable(By.id("sign-in"))).click();
        wait.until(ExpectedConditions.elementToBeClickable(
                By.xpath("//button[contains(normalize-space(.), 'Sign in as " + displayName + "')]"))).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("pick-step")));
    }

    private List<String> listedDevices() {
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#device-list .device-name")));
        return browser.findElements(By.cssSelector("#device-list .device-name")).stream().map(WebElement::getText)
                .toList();
    }

    private WebElement radioFor(String deviceId) {
        return browser.findElement(By.cssSelector("input[name='device'][value='" + deviceId + "']"));
    }

    private static String pageUrl() {
        int port = ConfigProvider.getConfig().getValue("quarkus.lambda.mock-event-server.test-port", Integer.class);
        return "http://localhost:" + port + "/self-service/";
    }
}
