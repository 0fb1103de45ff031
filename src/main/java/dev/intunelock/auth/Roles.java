package dev.intunelock.auth;

/** App roles, as Entra ID puts them in the token's {@code roles} claim. */
public final class Roles {

    /** May lock devices and read locks. */
    public static final String LOCK_DEVICES = "Lock.Devices";

    /** May read a Mac's recovery PIN. */
    public static final String PINS_READ = "Pins.Read";

    /** May read the audit trail (who read a PIN, who locked, who forced). */
    public static final String AUDIT_READ = "Audit.Read";

    /** May force a lock onto a Mac whose recovery PIN is still unused. */
    public static final String LOCKS_ADMIN = "Locks.Admin";

    /** May lock more than {@value dev.intunelock.auth.Roles#BULK_THRESHOLD} devices in one batch. */
    public static final String LOCKS_BULK = "Locks.Bulk";

    /** The most devices a batch may hold without {@link #LOCKS_BULK}. */
    public static final int BULK_THRESHOLD = 10;

    private Roles() {
    }
}
