package dev.intunelock.lock;

import java.util.Locale;

/**
 * The platform gate: which devices Intune's Remote lock supports, decided from Graph's {@code deviceType}
 * enum (never from the free-text {@code operatingSystem}).
 *
 * <p>Supported: Android, Android Enterprise (kiosk and work profile), iOS/iPadOS, macOS, Windows 10 Mobile and
 * Windows Phone 8.1+. Not supported: Windows 10 desktop. Anything else is refused, since Intune does not list it.
 */
public final class PlatformGate {

    private static final String SUPPORTED = "Intune supports Remote lock on Android, Android Enterprise, iOS/iPadOS, "
            + "macOS, Windows 10 Mobile and Windows Phone 8.1 or later";

    private PlatformGate() {
    }

    public sealed interface Verdict permits Lockable, Refused {
        Platform platform();
    }

    public record Lockable(Platform platform) implements Verdict {
    }

    public record Refused(Platform platform, String reason) implements Verdict {
    }

    public static Verdict check(String deviceType) {
        if (deviceType == null || deviceType.isBlank()) {
            return new Refused(Platform.OTHER, "Intune reports no device type for this device, so it cannot be "
                    + "confirmed that Remote lock is supported. " + SUPPORTED + ".");
        }
        return switch (deviceType.toLowerCase(Locale.ROOT)) {
            case "android" -> new Lockable(Platform.ANDROID);
            case "androidenterprise", "androidforwork" -> new Lockable(Platform.ANDROID_ENTERPRISE);
            case "iphone", "ipad", "ipod" -> new Lockable(Platform.IOS);
            case "mac", "macmdm" -> new Lockable(Platform.MACOS);
            case "windowsphone" -> new Lockable(Platform.WINDOWS_MOBILE);
            case "desktop", "windowsrt", "winembedded", "windows10x", "cloudpc", "surfacehub", "hololens" ->
                    new Refused(Platform.WINDOWS_DESKTOP, "Intune does not support Remote lock on Windows desktop "
                            + "devices (device type '" + deviceType + "'). " + SUPPORTED + ".");
            case "unknown", "unknownfuturevalue" -> new Refused(Platform.OTHER,
                    "Intune reports the device type as unknown, so it cannot be confirmed that Remote lock is "
                            + "supported. " + SUPPORTED + ".");
            default -> new Refused(Platform.OTHER, "Remote lock is not supported for device type '" + deviceType
                    + "'. " + SUPPORTED + ".");
        };
    }
}
