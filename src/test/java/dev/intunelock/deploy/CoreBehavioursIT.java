package dev.intunelock.deploy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.intunelock.testing.OnThePackagedFunction;
import dev.intunelock.testing.TestPins;

/**
 * The core behaviours again, on what {@code ./mvnw package} wrote to {@code target/function.zip} (the JVM build, or
 * the native {@code bootstrap} with {@code -Dnative}), started as Lambda starts it and fed API Gateway events through
 * the Lambda Runtime API.
 */
@ExtendWith(OnThePackagedFunction.class)
class CoreBehavioursIT extends CoreBehaviours {

    @AfterAll
    static void theMacsPinNeverReachedThePackagedFunctionsLog() throws IOException {
        String log = Files.readString(OnThePackagedFunction.LOG);
        assertTrue(log.contains("recovery PIN captured"), "the log covers the Mac's lock");
        assertFalse(TestPins.issued().isEmpty());
        TestPins.issued().forEach(pin -> assertFalse(TestPins.asAWord(pin).matcher(log).find(),
                "a PIN reached the function's log"));
    }
}
