package dev.intunelock.sweep;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.intunelock.intune.GraphDeadline;
import dev.intunelock.lock.Lock;
import dev.intunelock.lock.LockRejections.DeviceNotFound;
import dev.intunelock.lock.LockRejections.PlatformNotLockable;
import dev.intunelock.lock.LockService;
import dev.intunelock.lock.LockStatus;
import dev.intunelock.lock.LockStore;
import dev.intunelock.metrics.Metrics;
import dev.intunelock.pin.PinService;
import dev.intunelock.pin.PinService.CaptureRound;
import dev.intunelock.webhook.WebhookService;
import dev.intunelock.webhook.WebhookService.QueueRound;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The retry sweep: re-attempts every pending lock whose wait is over, so that a lock Graph did not take is sent (or
 * confirmed, or ended) without anyone asking again; handles the alerts a webhook delivery had no time for; and asks
 * Intune for every Mac PIN still awaited, while Intune still shows it. Each lock and PIN gets its own try: one that keeps failing never stops the others. Bounded in
 * count and time so that one run fits in one invocation.
 */
@ApplicationScoped
public class RetrySweep {

    private static final Logger LOG = Logger.getLogger(RetrySweep.class);
    static final int BATCH = 25;
    static final int PIN_BATCH = 25;
    static final int ALERT_BATCH = 25;
    /** The whole run's Graph work ends by then (the function's timeout is 29 s). */
    static final Duration BUDGET = Duration.ofSeconds(20);
    /** A lock attempt is not begun with less than this left of the run. */
    static final Duration ATTEMPT_RESERVE = Duration.ofSeconds(7);

    private final LockStore store;
    private final LockService locks;
    private final PinService pins;
    private final WebhookService webhooks;
    private final Clock clock;

    RetrySweep(LockStore store, LockService locks, PinService pins, WebhookService webhooks, Clock clock) {
        this.store = store;
        this.locks = locks;
        this.pins = pins;
        this.webhooks = webhooks;
        this.clock = clock;
    }

    /** What one run did: locks by where they ended, PINs captured, and what is left for the next run. */
    @RegisterForReflection
    public record Outcome(int due, int sent, int stillPending, int rejected, int failed, int unconfirmed, int errors,
            int alertsQueued, int alertsFinished, int pinsAwaited, int pinsCaptured, int pinsUnavailable,
            Long oldestPendingAgeSeconds) {
    }

    public Outcome run() {
        Instant started = clock.instant();
        Instant end = started.plus(BUDGET);
        int due = 0;
        int sent = 0;
        int pending = 0;
        int rejected = 0;
        int failed = 0;
        int unconfirmed = 0;
        int errors = 0;
        // Alerts first, with at most half of the run: each becomes a lock, attempted at once.
        Instant alertsEnd = started.plus(BUDGET.dividedBy(2));
        QueueRound alerts = webhooks.finishQueued(ALERT_BATCH, end, () -> clock.instant().isBefore(alertsEnd));
        for (String lockId : store.dueForRetry(started, BATCH)) {
            if (clock.instant().plus(ATTEMPT_RESERVE).isAfter(end)) {
                break; // the rest waits for the next run
            }
            due++;
            try {
                LockStatus status = locks.retryIfDue(lockId, end).map(Lock::status).orElse(LockStatus.PENDING);
                switch (status) {
                    case PENDING -> pending++;
                    case REJECTED -> rejected++;
                    case FAILED -> failed++;
                    case UNCONFIRMED -> unconfirmed++;
                    case SENT, DONE -> sent++;
                }
            } catch (DeviceNotFound | PlatformNotLockable refused) {
                rejected++;
            } catch (RuntimeException failure) {
                errors++;
                LOG.errorf(failure, "Retry sweep: lock %s could not be handled this run", lockId);
            }
        }
        CaptureRound round = GraphDeadline.within(end, clock,
                () -> pins.captureAwaited(PIN_BATCH, () -> clock.instant().isBefore(end)));
        Outcome outcome = new Outcome(due, sent, pending, rejected, failed, unconfirmed,
                errors + alerts.failed() + round.failed(), alerts.queued(), alerts.finished(), round.awaited(),
                round.captured(), round.unavailable(), oldestPendingAgeSeconds());
        Metrics.seconds(Metrics.OLDEST_PENDING_LOCK_AGE,
                outcome.oldestPendingAgeSeconds() == null ? 0 : outcome.oldestPendingAgeSeconds());
        LOG.infof("Retry sweep: %s", outcome);
        return outcome;
    }

    private Long oldestPendingAgeSeconds() {
        return store.oldestPendingRequestedAt()
                .map(requested -> Math.max(0, Duration.between(requested, clock.instant()).toSeconds()))
                .orElse(null);
    }
}
