package dev.intunelock.auth;

/** App roles, as Entra ID puts them in the token's {@code roles} claim. */
public final class Roles {

    /** May lock devices and read locks. */
    public static final String LOCK_DEVICES = "Lock.Devices";

    private Roles() {
    }
}
