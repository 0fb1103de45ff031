package dev.intunelock.audit;

import java.time.Instant;

import dev.intunelock.random.FreshRandom;

/**
 * Who did what to which device (and lock), when, through which channel, and how it ended: the actor by display name
 * and by Entra object id ({@code actorId}, null when the actor has none: a webhook sender, the retry sweep).
 * {@code id} makes the event's key, so that writing the same event twice can only fail. Never carries a PIN.
 */
public record AuditEvent(String id, String deviceId, String lockId, String actor, String actorId, String channel,
        String action, String outcome, String reason, Instant at) {

    public static final String LOCK_REQUESTED = "LOCK_REQUESTED";
    /** Followed by the lock's status: {@code LOCK_SENT}, {@code LOCK_DONE}, {@code LOCK_FAILED}, ... */
    public static final String LOCK_PREFIX = "LOCK_";
    public static final String FORCED_RELOCK = "FORCED_RELOCK";
    public static final String PIN_READ = "PIN_READ";
    public static final String PIN_UNLOCK_CONFIRMED = "PIN_UNLOCK_CONFIRMED";
    public static final String PIN_SHREDDED = "PIN_SHREDDED";
    public static final String WEBHOOK_ALERT = "WEBHOOK_ALERT";
    public static final String SELF_SERVICE_LOCK = "SELF_SERVICE_LOCK";

    public static final String GRANTED = "GRANTED";
    public static final String REFUSED = "REFUSED";
    public static final String DONE = "DONE";

    /** The HTTP API (helpdesk tools, scripts); webhooks are {@code webhook:<source>}. */
    public static final String API = "api";
    public static final String SELF_SERVICE = "self-service";
    public static final String RETRY_SWEEP = "retry-sweep";

    /** A new event with a fresh id. */
    public static AuditEvent of(String deviceId, String lockId, String actor, String actorId, String channel,
            String action, String outcome, String reason, Instant at) {
        return new AuditEvent(FreshRandom.uuid().toString(), deviceId, lockId, actor, actorId, channel, action, outcome,
                reason, at);
    }
}
