package dev.intunelock.audit;

import java.time.Instant;

/**
 * Who did what to which device (and lock), when, and how it ended: the actor by display name and by Entra object id
 * ({@code actorId}, null when the actor has none). Never carries a PIN.
 */
public record AuditEvent(String deviceId, String lockId, String actor, String actorId, String action, String outcome,
        String detail, Instant at) {

    public static final String PIN_READ = "PIN_READ";
    public static final String PIN_UNLOCK_CONFIRMED = "PIN_UNLOCK_CONFIRMED";
    public static final String FORCED_RELOCK = "FORCED_RELOCK";
    public static final String PIN_SHREDDED = "PIN_SHREDDED";
    public static final String GRANTED = "GRANTED";
    public static final String REFUSED = "REFUSED";
    public static final String DONE = "DONE";
}
