package dev.intunelock.lock;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.intunelock.lock.LockRejections.DeviceNotFound;
import dev.intunelock.lock.LockRejections.PlatformNotLockable;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The retry sweep: re-attempts every pending lock whose wait is over, so that a lock Graph did not take is sent
 * without anyone asking again. Bounded in count and time so one run fits in one invocation.
 */
@ApplicationScoped
public class RetrySweep {

    private static final Logger LOG = Logger.getLogger(RetrySweep.class);
    static final int BATCH = 25;
    static final Duration BUDGET = Duration.ofSeconds(20);

    private final LockStore store;
    private final LockService locks;
    private final Clock clock;

    RetrySweep(LockStore store, LockService locks, Clock clock) {
        this.store = store;
        this.locks = locks;
        this.clock = clock;
    }

    @RegisterForReflection
    public record Outcome(int due, int sent, int stillPending, int rejected) {
    }

    public Outcome run() {
        Instant started = clock.instant();
        int due = 0;
        int sent = 0;
        int pending = 0;
        int rejected = 0;
        for (String lockId : store.dueForRetry(started, BATCH)) {
            if (clock.instant().isAfter(started.plus(BUDGET))) {
                break; // the rest waits for the next run
            }
            due++;
            try {
                LockStatus status = locks.retryIfDue(lockId).map(Lock::status).orElse(LockStatus.PENDING);
                if (status == LockStatus.PENDING) {
                    pending++;
                } else if (status == LockStatus.REJECTED) {
                    rejected++;
                } else {
                    sent++;
                }
            } catch (DeviceNotFound | PlatformNotLockable refused) {
                rejected++;
            }
        }
        Outcome outcome = new Outcome(due, sent, pending, rejected);
        LOG.infof("Retry sweep: %s", outcome);
        return outcome;
    }
}
