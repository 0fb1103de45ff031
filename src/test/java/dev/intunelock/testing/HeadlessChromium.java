package dev.intunelock.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium, driven through Debian's chromedriver: both named explicitly, so Selenium Manager
 * never looks for (or downloads) a browser. CI installs them (.ci/run). A machine without them fails the browser test
 * with the command that installs them, unless {@code SKIP_BROWSER_TEST=true} says to skip it on purpose.
 */
public final class HeadlessChromium {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private HeadlessChromium() {
    }

    /** A fresh browser (its own empty profile) with a phone-sized window. */
    public static ChromeDriver start() {
        requireInstalled();
        try {
            Path profile = Files.createTempDirectory("chromium-profile");
            profile.toFile().deleteOnExit();
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM.toFile());
            // Without the networking flags Chromium keeps calling Google's hosts, which this machine refuses.
            options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--window-size=390,844", "--user-data-dir=" + profile);
            ChromeDriver browser = new ChromeDriver(service, options);
            browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
            return browser;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void requireInstalled() {
        if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
            return;
        }
        String missing = "The browser test needs Debian's chromium and chromium-driver (" + CHROMIUM + ", "
                + CHROMEDRIVER + "): apt-get install -y chromium chromium-driver";
        if ("true".equalsIgnoreCase(System.getenv("SKIP_BROWSER_TEST"))) {
            Assumptions.abort(missing + "; skipped on purpose (SKIP_BROWSER_TEST=true)");
        }
        Assertions.fail(missing + ", or run with SKIP_BROWSER_TEST=true to skip this one test on purpose");
    }
}
