package dev.intunelock.lock;

/** The platforms Intune's Remote lock distinguishes, as our API names them. */
public enum Platform {
    ANDROID,
    ANDROID_ENTERPRISE,
    IOS,
    MACOS,
    WINDOWS_MOBILE,
    WINDOWS_DESKTOP,
    OTHER;

    public boolean hasRecoveryPin() {
        return this == MACOS;
    }
}
