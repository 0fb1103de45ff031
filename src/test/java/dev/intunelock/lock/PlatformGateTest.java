package dev.intunelock.lock;

import static dev.intunelock.lock.LockApi.lock;
import static dev.intunelock.lock.LockApi.status;
import static dev.intunelock.testing.GraphStubs.device;
import static dev.intunelock.testing.GraphStubs.newDeviceId;
import static dev.intunelock.testing.GraphStubs.remoteLockAccepted;
import static dev.intunelock.testing.GraphStubs.remoteLockCalls;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.intunelock.testing.LocalStack;
import dev.intunelock.testing.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The platform gate, decided from Graph's deviceType, seen through the lock API. */
@QuarkusTest
@WithTestResource(LocalStack.class)
class PlatformGateTest {

    final String token = Tokens.withRoles("helpdesk@contoso.example", "Lock.Devices");

    @ParameterizedTest(name = "{0} is locked as {1}")
    @CsvSource({
            "android, ANDROID",
            "androidEnterprise, ANDROID_ENTERPRISE",
            "androidForWork, ANDROID_ENTERPRISE",
            "iPhone, IOS",
            "iPad, IOS",
            "macMDM, MACOS",
            "mac, MACOS",
            "windowsPhone, WINDOWS_MOBILE" })
    void supportedPlatformsAreLocked(String deviceType, String platform) {
        String deviceId = newDeviceId();
        device(deviceId, deviceType);
        remoteLockAccepted(deviceId);

        lock(token, deviceId).statusCode(202)
                .body("platform", equalTo(platform))
                .body("status", equalTo("SENT"));
        assertEquals(1, remoteLockCalls(deviceId));
    }

    @Test
    void windowsDesktopIsRefusedBeforeAnyGraphWrite() {
        String deviceId = newDeviceId();
        device(deviceId, "desktop");
        remoteLockAccepted(deviceId);

        String lockId = lock(token, deviceId).statusCode(422)
                .contentType("application/problem+json")
                .body("platform", equalTo("WINDOWS_DESKTOP"))
                .body("detail", containsString("does not support Remote lock on Windows desktop"))
                .extract().path("lockId");

        assertEquals(0, remoteLockCalls(deviceId));
        status(token, lockId).statusCode(200)
                .body("status", equalTo("REJECTED"))
                .body("error.code", equalTo("platformNotSupported"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "unknown", "chromeOS", "linux", "blackberry", "winMO6", "somethingNew" })
    void unknownOrUnlistedDeviceTypesAreRefusedWithAReason(String deviceType) {
        String deviceId = newDeviceId();
        device(deviceId, deviceType);
        remoteLockAccepted(deviceId);

        lock(token, deviceId).statusCode(422)
                .contentType("application/problem+json")
                .body("detail", containsString("Intune supports Remote lock on Android"));
        assertEquals(0, remoteLockCalls(deviceId));
    }

    @Test
    void aRefusedDeviceDoesNotBlockLaterRequests() {
        String deviceId = newDeviceId();
        device(deviceId, "desktop");
        lock(token, deviceId).statusCode(422);

        lock(token, deviceId).statusCode(422); // refused again on its merits, not 409
    }
}
