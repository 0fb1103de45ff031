package dev.intunelock.sweep;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.intunelock.batch.LockBatches;
import dev.intunelock.intune.GraphDeadline;
import dev.intunelock.lock.Lock;
import dev.intunelock.lock.LockRejections.DeviceNotFound;
import dev.intunelock.lock.LockRejections.PlatformNotLockable;
import dev.intunelock.lock.LockService;
import dev.intunelock.lock.LockStatus;
import dev.intunelock.lock.LockStore;
import dev.intunelock.metrics.Metrics;
import dev.intunelock.pin.PinService;
import dev.intunelock.pin.PinShredding;
import dev.intunelock.pin.PinStatus;
import dev.intunelock.vault.EnvelopeVault;
import dev.intunelock.webhook.WebhookService;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The retry sweep: handles the alerts a webhook delivery had no time for; re-attempts every pending lock whose wait
 * is over, so that a lock Graph did not take is sent (or confirmed, or ended) without anyone asking again; asks
 * Intune for every Mac PIN still awaited, while Intune still shows it; and shreds what the 30-day window no longer
 * allows: sealed PINs whose window is over leave their records, and data keys whose shred time has come are destroyed. Each item gets its own try ({@link Tally}):
 * one that keeps failing never stops the others. Bounded in count and time so that one run fits in one invocation.
 */
@ApplicationScoped
public class RetrySweep {

    private static final Logger LOG = Logger.getLogger(RetrySweep.class);
    static final int BATCH = 25;
    static final int PIN_BATCH = 25;
    static final int ALERT_BATCH = 25;
    static final int SHRED_BATCH = 100;
    static final int STALLED_BATCHES = 10;
    /** The whole run's Graph work ends by then (the function's timeout is 29 s). */
    static final Duration BUDGET = Duration.ofSeconds(20);
    /** A lock attempt is not begun with less than this left of the run. */
    static final Duration ATTEMPT_RESERVE = Duration.ofSeconds(7);

    private final LockStore store;
    private final LockService locks;
    private final PinService pins;
    private final WebhookService webhooks;
    private final PinShredding shredding;
    private final EnvelopeVault vault;
    private final LockBatches batches;
    private final Clock clock;

    RetrySweep(LockStore store, LockService locks, PinService pins, WebhookService webhooks, PinShredding shredding,
            EnvelopeVault vault, LockBatches batches, Clock clock) {
        this.store = store;
        this.locks = locks;
        this.pins = pins;
        this.webhooks = webhooks;
        this.shredding = shredding;
        this.vault = vault;
        this.batches = batches;
        this.clock = clock;
    }

    /** What one run did: locks by where they ended, alerts and PINs handled, and what is left for the next run. */
    @RegisterForReflection
    public record Outcome(int due, int sent, int stillPending, int rejected, int failed, int unconfirmed, int errors,
            int alertsQueued, int alertsFinished, int pinsAwaited, int pinsCaptured, int pinsUnavailable,
            int pinsShredded, int dataKeysShredded, int batchesQueued, int batchesGivenUp,
            Long oldestPendingAgeSeconds) {
    }

    public Outcome run() {
        // First, and on its own: data keys due are destroyed whatever happens to the rest of the run.
        int keysDestroyed = destroyDueKeys();
        LockBatches.StalledRepair batchesRepaired = repairStalledBatches();
        Instant started = clock.instant();
        Instant end = started.plus(BUDGET);
        // Alerts first, for at most half of the run: each becomes a lock, attempted at once.
        Instant alertsEnd = started.plus(BUDGET.dividedBy(2));
        Tally alerts = Tally.over(webhooks.queuedAlerts(ALERT_BATCH), () -> clock.instant().isBefore(alertsEnd),
                alert -> "alert " + alert.outcome().alertId() + " of " + alert.source(),
                alert -> webhooks.finishQueued(alert, end) ? "finished" : "queued");
        Tally due = Tally.over(store.dueForRetry(started, BATCH),
                () -> !clock.instant().plus(ATTEMPT_RESERVE).isAfter(end), lockId -> "lock " + lockId,
                lockId -> retried(lockId, end).name());
        Tally awaited = GraphDeadline.within(end, clock, () -> Tally.over(pins.awaited(PIN_BATCH),
                () -> clock.instant().isBefore(end), pin -> "the PIN of lock " + pin.lockId(),
                pin -> pins.captureOrGiveUp(pin).name()));
        // Shredding needs no Graph call: it runs whatever time the Graph work left.
        Tally expired = Tally.over(shredding.expiredSealed(SHRED_BATCH), () -> true,
                pin -> "the expired PIN of lock " + pin.lockId(), pin -> shredding.shred(pin) ? "shredded" : "kept");
        Outcome outcome = new Outcome(due.taken(), due.count("SENT", "DONE"), due.count("PENDING"),
                due.count("REJECTED"), due.count("FAILED"), due.count("UNCONFIRMED"),
                alerts.errors() + due.errors() + awaited.errors() + expired.errors() + (keysDestroyed < 0 ? 1 : 0)
                        + batchesRepaired.errors(),
                alerts.taken(),
                alerts.count("finished"), awaited.taken(), awaited.count(PinStatus.STORED.name()),
                awaited.count(PinStatus.UNAVAILABLE.name()), expired.count("shredded"), Math.max(0, keysDestroyed),
                batchesRepaired.queued(), batchesRepaired.givenUp(), oldestPendingAgeSeconds());
        Metrics.seconds(Metrics.OLDEST_PENDING_LOCK_AGE,
                outcome.oldestPendingAgeSeconds() == null ? 0 : outcome.oldestPendingAgeSeconds());
        LOG.infof("Retry sweep: %s", outcome);
        return outcome;
    }

    /** How many data keys were destroyed, or -1 if that failed this run (the next run tries again). */
    private int destroyDueKeys() {
        try {
            return vault.shredDueKeys();
        } catch (RuntimeException failure) {
            LOG.errorf("Retry sweep: the data keys due could not be destroyed this run (%s: %s)",
                    failure.getClass().getSimpleName(), failure.getMessage());
            return -1;
        }
    }

    /** Batches whose work had not reached the queue: queued now, or given up; an error if not even listed. */
    private LockBatches.StalledRepair repairStalledBatches() {
        try {
            return batches.queueStalled(STALLED_BATCHES);
        } catch (RuntimeException failure) {
            LOG.errorf("Retry sweep: stalled batches could not be listed this run (%s: %s)",
                    failure.getClass().getSimpleName(), failure.getMessage());
            return new LockBatches.StalledRepair(0, 0, 1);
        }
    }

    private LockStatus retried(String lockId, Instant end) {
        try {
            return locks.retryIfDue(lockId, end).map(Lock::status).orElse(LockStatus.PENDING);
        } catch (DeviceNotFound | PlatformNotLockable refused) {
            return LockStatus.REJECTED;
        }
    }

    private Long oldestPendingAgeSeconds() {
        return store.oldestPendingRequestedAt()
                .map(requested -> Math.max(0, Duration.between(requested, clock.instant()).toSeconds()))
                .orElse(null);
    }
}
