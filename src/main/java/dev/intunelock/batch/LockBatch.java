package dev.intunelock.batch;

import java.time.Instant;
import java.util.Set;

import dev.intunelock.auth.Caller;
import dev.intunelock.lock.Lock;
import dev.intunelock.lock.Platform;

/**
 * One "lock all of these" request, as recorded before any device of it is worked on: who asked and why, what was
 * named ({@code targetKind} {@code user}, {@code deviceIds} or {@code serialNumbers}; the user when it was a user),
 * the platform filter, and how many devices it holds. {@code queuedAt} is set once every device's work is on the
 * queue; until then the retry sweep puts it there.
 */
record LockBatch(String batchId, String requestedBy, String requestedById, String reason, String targetKind,
        String user, Set<Platform> platforms, boolean dryRun, int total, Instant createdAt, Instant queuedAt) {

    /** Who the batch's locks are recorded as requested by. */
    Caller requester() {
        return new Caller(requestedBy, requestedById, Set.of());
    }

    /** The source its locks and their audit events carry, naming the batch. */
    String lockSource() {
        return Lock.BATCH_SOURCE + batchId;
    }

    /** Marks a batch whose record lost to one with the same id (the same alert, delivered twice at once). */
    LockBatch notRecorded() {
        return new LockBatch(batchId, requestedBy, requestedById, reason, targetKind, user, platforms, dryRun, -1,
                createdAt, queuedAt);
    }

    boolean recorded() {
        return total >= 0;
    }

    LockBatch queued(Instant at) {
        return new LockBatch(batchId, requestedBy, requestedById, reason, targetKind, user, platforms, dryRun, total,
                createdAt, at);
    }
}
