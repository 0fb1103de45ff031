package dev.intunelock.pin;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import dev.intunelock.testing.LocalStack;
import dev.intunelock.testing.TestPins;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Runs last: no recovery PIN handed out during the whole test run appears in any log line. */
@QuarkusTest
@WithTestResource(LocalStack.class)
@Order(Integer.MAX_VALUE)
class PinNeverLoggedTest {

    @Test
    void noPinOfTheWholeTestRunAppearsInAnyLogLine() throws Exception {
        Set<String> pins = TestPins.issued();
        List<String> log = Files.readAllLines(Path.of("target", "test-run.log"));
        assertTrue(pins.size() >= 10, "the PIN tests ran before this one and handed out PINs: " + pins.size());
        assertTrue(log.size() > 50 && log.stream().anyMatch(line -> line.contains("recovery PIN captured")),
                "the log holds the run, including PIN captures");

        for (String pin : pins) {
            Pattern standalone = TestPins.asAWord(pin);
            for (String line : log) {
                assertFalse(standalone.matcher(line).find(), "a PIN appears in the log: " + line.replace(pin, "******"));
            }
        }
    }
}
