package dev.intunelock.batch;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.intunelock.auth.Caller;
import dev.intunelock.auth.Roles;
import dev.intunelock.aws.InParallel;
import dev.intunelock.batch.BatchRejections.BatchNotFound;
import dev.intunelock.batch.BatchRejections.BulkRoleRequired;
import dev.intunelock.batch.BatchRejections.NoDevicesForUser;
import dev.intunelock.batch.LockBatchRequest.DeviceList;
import dev.intunelock.batch.LockBatchRequest.SerialNumberList;
import dev.intunelock.batch.LockBatchRequest.UserDevices;
import dev.intunelock.intune.DeviceProperty;
import dev.intunelock.intune.GraphException;
import dev.intunelock.intune.GraphWriteBudget;
import dev.intunelock.intune.Intune;
import dev.intunelock.intune.IntuneDevice;
import dev.intunelock.lock.PlatformGate;
import dev.intunelock.metrics.Metrics;
import dev.intunelock.problem.IntuneNotAnswering;
import dev.intunelock.queue.QueueUnavailableException;
import dev.intunelock.queue.WorkQueue;
import dev.intunelock.random.FreshRandom;
import dev.intunelock.request.InvalidRequest;
import dev.intunelock.storage.StorageUnavailableException;

/**
 * Lock batches: a batch is recorded with the names of all its devices before any is worked on, and each device's
 * work is put on the queue, from which the function takes it at the concurrency the event source mapping allows.
 * Devices whose work could not reach the queue are put there by the retry sweep. Nothing here waits for Intune's
 * answer to a lock: the request is answered at once, whatever the batch's size.
 */
@ApplicationScoped
public class LockBatches {

    private static final Logger LOG = Logger.getLogger(LockBatches.class);
    /** Devices recorded and queued together: two DynamoDB batch writes, five SQS batch sends. */
    static final int QUEUEING_GROUP = 50;
    /** The code of a device whose batch was given up before its work reached the queue. */
    static final String NOT_QUEUED = "notQueued";

    private final BatchStore store;
    private final WorkQueue queue;
    private final Intune intune;
    private final GraphWriteBudget writes;
    private final ObjectMapper json;
    private final Clock clock;

    LockBatches(BatchStore store, WorkQueue queue, Intune intune, GraphWriteBudget writes, ObjectMapper json,
            Clock clock) {
        this.store = store;
        this.queue = queue;
        this.intune = intune;
        this.writes = writes;
        this.json = json;
        this.clock = clock;
    }

    /** Records the batch and queues its devices' work. */
    LockBatchView start(LockBatchRequest.Valid request, Caller caller) {
        Instant now = clock.instant();
        String batchId = FreshRandom.uuid().toString();
        List<BatchDevice> devices;
        if (request.target() instanceof UserDevices user) {
            devices = userDevices(batchId, user, now);
        } else if (request.target() instanceof DeviceList list) {
            devices = list.deviceIds().stream().map(id -> BatchDevice.queued(batchId, id, null, now)).toList();
        } else {
            devices = ((SerialNumberList) request.target()).serialNumbers().stream()
                    .map(serial -> BatchDevice.queued(batchId, null, serial, now)).toList();
        }
        if (devices.size() > LockBatchRequest.MOST_DEVICES) {
            throw new InvalidRequest(List.of("The user has more than " + LockBatchRequest.MOST_DEVICES + " managed "
                    + "devices, the most a batch holds. Name them by deviceIds in several batches."));
        }
        if (devices.size() > Roles.BULK_THRESHOLD && !caller.has(Roles.LOCKS_BULK)) {
            throw new BulkRoleRequired(devices.size());
        }
        String targetKind = request.target().kind();
        LockBatch batch = new LockBatch(batchId, caller.name(), caller.objectId(), request.reason(), targetKind,
                request.target() instanceof UserDevices user ? user.user() : null, request.platforms(),
                request.dryRun(), devices.size(), now, null);
        LockBatch queued = recordAndQueue(batch, devices);
        LOG.infof("Batch %s recorded: %d devices (%s) by %s%s", batchId, devices.size(), targetKind, caller.name(),
                request.dryRun() ? ", dry run" : "");
        return view(queued, devices);
    }

    /**
     * What an alert naming a user came to: its batch (started, or found when the alert came again), or why not;
     * {@code devices} as Intune lists them, counted up to a batch's most and a page beyond.
     */
    public record AlertBatch(String batchId, int devices, boolean started) {
    }

    /**
     * Locks every managed device of {@code user} for an alert: the batch id is the alert's own, so a redelivered
     * alert finds its batch instead of starting another. Nothing is started when Intune lists no device for the
     * user, or more than {@code mostDevices}. Graph failures reach the caller (the sender redelivers).
     */
    public AlertBatch startForAlert(String batchId, String reason, String user, Caller sender, int mostDevices) {
        Optional<LockBatch> earlier = store.find(batchId);
        if (earlier.isPresent()) {
            return new AlertBatch(batchId, earlier.get().total(), true);
        }
        Instant now = clock.instant();
        List<BatchDevice> devices = listedFor(batchId, new UserDevices(user), now);
        if (devices.isEmpty() || devices.size() > mostDevices) {
            return new AlertBatch(batchId, devices.size(), false);
        }
        LockBatch batch = new LockBatch(batchId, sender.name(), sender.objectId(), reason, "user", user,
                LockBatchRequest.LOCKABLE, false, devices.size(), now, null);
        if (!recordAndQueue(batch, devices).recorded()) {
            // A concurrent delivery of the same alert recorded it first: its batch stands.
            return new AlertBatch(batchId, store.find(batchId).map(LockBatch::total).orElse(devices.size()), true);
        }
        LOG.infof("Batch %s recorded: the %d devices of user %s, for an alert of %s", batchId, devices.size(), user,
                sender.name());
        return new AlertBatch(batchId, devices.size(), true);
    }

    /** Whether {@code user} names a user as a batch can: a UPN or an Entra object id. */
    public static boolean namesAUser(String user) {
        return LockBatchRequest.namesAUser(user);
    }

    LockBatchView view(String batchId) {
        LockBatch batch = store.find(batchId).orElseThrow(BatchNotFound::new);
        return view(batch, store.devices(batchId));
    }

    /** What one retry sweep did for stalled batches: queued, given up, and batches it could do neither for now. */
    public record StalledRepair(int queued, int givenUp, int errors) {
    }

    /**
     * The retry sweep's step: batches whose devices were not all recorded and queued by their request (DynamoDB or
     * SQS failed then) get the missing devices recorded and every open device queued now; a device queued twice is
     * worked on once. A batch still not queued {@link BatchStore#QUEUEING_GIVE_UP} after its request is given up
     * instead ({@link #giveUp}): the sweep's repair is bounded. Each batch gets its own try.
     */
    public StalledRepair queueStalled(int limit) {
        Instant now = clock.instant();
        int queued = 0;
        int givenUp = 0;
        int errors = 0;
        for (LockBatch batch : store.unqueued(now, limit)) {
            try {
                if (!now.isBefore(batch.createdAt().plus(BatchStore.QUEUEING_GIVE_UP))) {
                    giveUp(batch, now);
                    givenUp++;
                } else if (queueAgain(batch)) {
                    queued++;
                }
            } catch (StorageUnavailableException | QueueUnavailableException unavailable) {
                LOG.warnf("Batch %s: not repaired this sweep (%s); the next one tries again", batch.batchId(),
                        unavailable.getMessage());
                errors++;
            }
        }
        return new StalledRepair(queued, givenUp, errors);
    }

    private boolean queueAgain(LockBatch batch) {
        List<BatchDevice> recorded = store.devices(batch.batchId());
        List<BatchDevice> missing = notRecorded(batch, recorded);
        store.record(missing);
        List<BatchDevice> open = Stream.concat(recorded.stream().filter(device -> !device.state().settled()),
                missing.stream()).toList();
        return queueWork(batch, open);
    }

    /**
     * A batch whose work could not be put on the queue in time must not look as if it were running: each device no
     * worker has begun on ends {@code FAILED} ({@value #NOT_QUEUED}), a device a worker began on meanwhile is left to
     * its lock, and the batch leaves the sweep's list. Counted for the alarm ({@link Metrics#BATCHES_GIVEN_UP}).
     */
    private void giveUp(LockBatch batch, Instant now) {
        List<BatchDevice> recorded = store.devices(batch.batchId());
        List<BatchDevice> notBegun = Stream.concat(
                recorded.stream().filter(device -> device.state() == DeviceState.QUEUED && device.lockId() == null),
                notRecorded(batch, recorded).stream())
                .map(device -> device.now(DeviceState.FAILED, null, null, NOT_QUEUED, "Its work could not be put "
                        + "on the work queue within " + BatchStore.QUEUEING_GIVE_UP.toMinutes() + " minutes of the "
                        + "request (DynamoDB or SQS failing); nothing was sent to this device. Lock it again.", now))
                .toList();
        AtomicInteger failed = new AtomicInteger();
        InParallel.each(notBegun, device -> {
            if (store.failUnlessBegun(device)) {
                failed.incrementAndGet();
            }
        });
        store.queued(batch, now); // out of the sweep's list: nothing of it is left to queue
        Metrics.count(Metrics.BATCHES_GIVEN_UP);
        LOG.errorf("Batch %s given up: its work could not be queued within %d minutes; %d of its %d devices end "
                + "FAILED (%s), nothing was sent to them", batch.batchId(), BatchStore.QUEUEING_GIVE_UP.toMinutes(),
                failed.get(), batch.total(), NOT_QUEUED);
    }

    /** The devices the batch names that are not among {@code recorded} (the request could not record them). */
    private List<BatchDevice> notRecorded(LockBatch batch, List<BatchDevice> recorded) {
        Set<String> known = recorded.stream().map(BatchDevice::key).collect(Collectors.toSet());
        return store.named(batch).stream().filter(device -> !known.contains(device.key())).toList();
    }

    private List<BatchDevice> userDevices(String batchId, UserDevices user, Instant now) {
        List<BatchDevice> found;
        try {
            found = listedFor(batchId, user, now);
        } catch (GraphException unavailable) {
            throw new IntuneNotAnswering("Intune could not be asked for the user's devices, so no batch was recorded. "
                    + "Try again shortly.", unavailable);
        }
        if (found.isEmpty()) {
            throw new NoDevicesForUser(user.user());
        }
        return found;
    }

    /**
     * The user's managed devices as Intune lists them, each with its name and platform; more than a batch holds
     * when the user has more (Intune is not asked for the rest).
     */
    private List<BatchDevice> listedFor(String batchId, UserDevices user, Instant now) {
        List<IntuneDevice> found = intune.findDevicesWhere(user.byObjectId() ? DeviceProperty.USER_ID
                : DeviceProperty.USER_PRINCIPAL_NAME, user.user(), LockBatchRequest.MOST_DEVICES);
        return found.stream().map(device -> BatchDevice.queued(batchId, device.id(), null, now)
                .described(device.deviceName(), PlatformGate.check(device.deviceType()).platform())).toList();
    }

    /**
     * Records the batch with the keys of all its devices, then records the devices and queues their work group by
     * group, several groups at once (the first devices are being worked on while the last are still being recorded;
     * a device is queued only once it is recorded). A store that fails before the batch is recorded ends the request
     * (503) with nothing of it recorded, so asking again is safe; once it is recorded, the batch is finished whatever
     * fails: devices the request could not record or queue are left to the retry sweep, which records and queues
     * every device not done.
     */
    private LockBatch recordAndQueue(LockBatch batch, List<BatchDevice> devices) {
        if (!store.create(batch, devices)) {
            return batch.notRecorded();
        }
        AtomicBoolean allQueued = new AtomicBoolean(true);
        InParallel.each(groups(devices), group -> {
            try {
                store.record(group);
                queue.send(messages(batch, group));
            } catch (StorageUnavailableException | QueueUnavailableException unavailable) {
                LOG.warnf("Batch %s: %d devices could not be recorded and queued (%s); the retry sweep does it",
                        batch.batchId(), group.size(), unavailable.getMessage());
                allQueued.set(false);
            }
        });
        return allQueued.get() && markedQueued(batch) ? batch.queued(clock.instant()) : batch;
    }

    private boolean markedQueued(LockBatch batch) {
        try {
            store.queued(batch, clock.instant());
            return true;
        } catch (StorageUnavailableException unavailable) {
            LOG.warnf("Batch %s: queued, but not marked so (%s); the retry sweep queues its open devices again",
                    batch.batchId(), unavailable.getMessage());
            return false;
        }
    }

    /** Queues the work of recorded devices again (the retry sweep's step); true when all of it is queued. */
    private boolean queueWork(LockBatch batch, List<BatchDevice> devices) {
        try {
            InParallel.each(groups(devices), group -> queue.send(messages(batch, group)));
        } catch (QueueUnavailableException unavailable) {
            LOG.warnf("Batch %s: its work could not all be queued (%s); the next sweep tries again", batch.batchId(),
                    unavailable.getMessage());
            return false;
        }
        store.queued(batch, clock.instant());
        return true;
    }

    private static List<List<BatchDevice>> groups(List<BatchDevice> devices) {
        List<List<BatchDevice>> groups = new java.util.ArrayList<>();
        for (int from = 0; from < devices.size(); from += QUEUEING_GROUP) {
            groups.add(devices.subList(from, Math.min(devices.size(), from + QUEUEING_GROUP)));
        }
        return groups;
    }

    private List<String> messages(LockBatch batch, List<BatchDevice> devices) {
        return devices.stream().map(device -> json.createObjectNode().put("batchId", batch.batchId())
                .put("key", device.key()).toString()).toList();
    }

    private LockBatchView view(LockBatch batch, List<BatchDevice> devices) {
        Map<DeviceState, Integer> counts = new EnumMap<>(DeviceState.class);
        for (DeviceState state : DeviceState.values()) {
            counts.put(state, 0);
        }
        devices.forEach(device -> counts.merge(device.state(), 1, Integer::sum));
        // Devices the request has not recorded yet (or left to the sweep) are queued too.
        counts.merge(DeviceState.QUEUED, Math.max(0, batch.total() - devices.size()), Integer::sum);
        boolean finished = devices.size() >= batch.total()
                && devices.stream().allMatch(device -> device.state().settled());
        Instant finishedAt = finished ? devices.stream().map(BatchDevice::settledAt)
                .max(Instant::compareTo).orElse(batch.createdAt()) : null;
        int open = counts.get(DeviceState.QUEUED) + counts.get(DeviceState.LOCKING);
        Long secondsLeft = finished ? Long.valueOf(0) : batch.dryRun() ? null : writes.timeFor(open).toSeconds();
        return LockBatchView.of(batch, devices, counts, finishedAt, secondsLeft);
    }
}
