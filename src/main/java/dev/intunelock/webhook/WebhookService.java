package dev.intunelock.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.intunelock.auth.Caller;
import dev.intunelock.batch.LockBatches;
import dev.intunelock.intune.GraphDeadline;
import dev.intunelock.intune.GraphException;
import dev.intunelock.intune.Intune;
import dev.intunelock.lock.Lock;
import dev.intunelock.lock.LockRejections.DeviceNotFound;
import dev.intunelock.lock.LockRejections.LockInFlight;
import dev.intunelock.lock.LockRejections.MacPinOutstanding;
import dev.intunelock.lock.LockRejections.PlatformNotLockable;
import dev.intunelock.lock.LockRequest;
import dev.intunelock.lock.LockService;
import dev.intunelock.lock.LockService.LockResult;
import dev.intunelock.lock.LockStatus;
import dev.intunelock.audit.AuditEvent;
import dev.intunelock.audit.AuditTrail;
import dev.intunelock.webhook.AlertOutcome.Result;
import dev.intunelock.webhook.DeliveryStore.Delivery;
import dev.intunelock.webhook.WebhookRejections.IntuneUnavailable;
import dev.intunelock.webhook.WebhookRejections.SenderNotAuthenticated;
import dev.intunelock.webhook.WebhookRejections.UnknownSource;

/**
 * Alerting webhooks: proves the sender, reads its alerts, and locks the device each firing alert names, once per
 * alert however often it is redelivered, once per device within a delivery, and not again within the source's
 * cool-down. A delivery answers within {@link #DELIVERY_BUDGET} whatever Graph does: its alerts are handled
 * {@link #PARALLEL_ALERTS} at a time, and what there was no time for is finished by the retry sweep: an alert naming
 * its device by Intune id gets its lock recorded (pending, with its lock id), any other is recorded as queued.
 */
@ApplicationScoped
public class WebhookService {

    private static final Logger LOG = Logger.getLogger(WebhookService.class);
    private static final int MAX_REASON = 1000;

    /** Graph work of one delivery ends by then, well inside senders' timeouts (Alertmanager's is about 10 s). */
    static final Duration DELIVERY_BUDGET = Duration.ofSeconds(8);
    /** A queued alert Intune could not be asked about for this long is refused: its lock would come too late. */
    static final Duration QUEUED_AT_MOST = Duration.ofHours(24);
    /**
     * Alerts of one delivery handled at once: more of a large group is locked within the budget, while the Graph
     * writes stay far below Intune's 200 per 20 s.
     */
    static final int PARALLEL_ALERTS = 8;

    private final WebhookSources sources;
    private final DeliveryStore deliveries;
    private final LockService locks;
    private final AuditTrail audit;
    private final SourceSecrets sourceSecrets;
    private final Intune intune;
    private final LockBatches batches;
    private final ObjectMapper json;
    private final Clock clock;
    /** Threads are made on the first delivery, not at start-up, and kept for the next ones. */
    private final ExecutorService workers = Executors.newFixedThreadPool(PARALLEL_ALERTS, work -> {
        Thread worker = new Thread(work, "webhook-alert");
        worker.setDaemon(true);
        return worker;
    });

    WebhookService(WebhookSources sources, DeliveryStore deliveries, LockService locks, Intune intune,
            LockBatches batches, AuditTrail audit, SourceSecrets sourceSecrets, ObjectMapper json, Clock clock) {
        this.batches = batches;
        this.sources = sources;
        this.sourceSecrets = sourceSecrets;
        this.audit = audit;
        this.deliveries = deliveries;
        this.locks = locks;
        this.intune = intune;
        this.json = json;
        this.clock = clock;
    }

    /** What a delivery came to: one outcome per alert, and how many alerts the sender said it left out. */
    public record DeliveryResult(List<AlertOutcome> outcomes, int truncatedAlerts) {
    }

    /** {@code headers} has lower-case names. */
    public DeliveryResult deliver(String sourceName, Map<String, String> headers, byte[] body) {
        WebhookSource source = sources.named(sourceName).orElseThrow(UnknownSource::new);
        if (!sourceSecrets.proven(source, headers, body, clock.instant())) {
            LOG.warnf("Webhook delivery to %s refused: sender not authenticated", sourceName);
            throw new SenderNotAuthenticated();
        }
        JsonNode root = parse(body);
        List<Alert> alerts = AlertPayloads.read(source, root);
        int truncated = AlertPayloads.truncatedAlerts(root);
        if (truncated > 0) {
            LOG.warnf("Webhook delivery to %s: the sender left out %d alert(s) of the group (truncatedAlerts); they "
                    + "were not evaluated", sourceName, truncated);
        }
        Instant deadline = clock.instant().plus(DELIVERY_BUDGET);
        Map<String, String> lockedNow = new ConcurrentHashMap<>();
        // Alerts naming the same device are handled one after the other, in their order: the first one locks.
        Map<Object, List<Integer>> byDevice = new LinkedHashMap<>();
        for (int i = 0; i < alerts.size(); i++) {
            Alert.DeviceRef device = alerts.get(i).device();
            byDevice.computeIfAbsent(device != null ? device : i, key -> new ArrayList<>()).add(i);
        }
        List<Handled> handled = byDevice.values().stream()
                .map(positions -> new Handled(positions, workers.submit(() -> GraphDeadline.within(deadline, clock,
                        () -> positions.stream().map(i -> outcome(source, alerts.get(i), lockedNow, deadline))
                                .toList()))))
                .toList();
        List<AlertOutcome> outcomes = collect(handled, alerts.size());
        LOG.infof("Webhook delivery to %s: %d alert(s) in %d ms: %s", sourceName, outcomes.size(),
                Duration.between(deadline.minus(DELIVERY_BUDGET), clock.instant()).toMillis(), tally(outcomes));
        return new DeliveryResult(outcomes, truncated);
    }

    /** The alerts (by their positions in the delivery) that one worker handles in turn, and what they came to. */
    private record Handled(List<Integer> positions, Future<List<AlertOutcome>> outcomes) {
    }

    /**
     * The outcomes in the alerts' order. When Intune could not be asked about some alert, the delivery fails (the
     * sender redelivers) once the others are done: what they came to is remembered and answered the same way.
     */
    private static List<AlertOutcome> collect(List<Handled> handled, int count) {
        AlertOutcome[] outcomes = new AlertOutcome[count];
        RuntimeException failed = null;
        for (Handled group : handled) {
            try {
                List<AlertOutcome> decided = group.outcomes().get();
                for (int k = 0; k < decided.size(); k++) {
                    outcomes[group.positions().get(k)] = decided.get(k);
                }
            } catch (ExecutionException failure) {
                RuntimeException cause = failure.getCause() instanceof RuntimeException runtime ? runtime
                        : new IllegalStateException(failure.getCause());
                failed = failed == null || failed instanceof IntuneUnavailable ? cause : failed;
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while handling a delivery", interrupted);
            }
        }
        if (failed != null) {
            throw failed;
        }
        return List.of(outcomes);
    }

    private static Map<Result, Long> tally(List<AlertOutcome> outcomes) {
        return outcomes.stream().collect(Collectors.groupingBy(AlertOutcome::result, () -> new EnumMap<>(Result.class),
                Collectors.counting()));
    }

    /** Alerts still queued, oldest first (the retry sweep's work list). */
    public List<Delivery> queuedAlerts(int limit) {
        return deliveries.queued(limit);
    }

    /**
     * The retry sweep's step for an alert a delivery had no time for: matches its device and locks it, as the
     * delivery would have, by {@code deadline}. True when it is settled, false when it stays queued.
     */
    public boolean finishQueued(Delivery delivery, Instant deadline) {
        return GraphDeadline.within(deadline, clock, () -> finish(delivery, deadline)).result() != Result.QUEUED;
    }

    private AlertOutcome finish(Delivery delivery, Instant deadline) {
        Optional<WebhookSource> source = sources.named(delivery.source());
        if (source.isEmpty()) {
            return deliveries.settle(delivery, AlertOutcome.of(delivery.alert(), Result.REFUSED,
                    "The webhook source '" + delivery.source() + "' is no longer configured."));
        }
        try {
            AlertOutcome decided = decide(source.get(), delivery.alert(), new HashMap<>(), deadline);
            if (decided.result() == Result.QUEUED) {
                return delivery.outcome();
            }
            AlertOutcome settled = deliveries.settle(delivery, decided);
            audited(source.get(), settled);
            return settled;
        } catch (GraphException unavailable) {
            if (!clock.instant().isBefore(delivery.at().plus(QUEUED_AT_MOST))) {
                return deliveries.settle(delivery, AlertOutcome.of(delivery.alert(), Result.REFUSED,
                        "Intune could not be asked about the device within " + QUEUED_AT_MOST.toHours()
                                + " h of the alert; nothing was locked."));
            }
            return delivery.outcome(); // the next run asks again
        }
    }

    private AlertOutcome outcome(WebhookSource source, Alert alert, Map<String, String> lockedNow, Instant deadline) {
        Optional<AlertOutcome> earlier = deliveries.find(source.name(), alert.deliveryKey());
        if (earlier.isPresent()) {
            return current(earlier.get());
        }
        AlertOutcome decided;
        try {
            decided = decide(source, alert, lockedNow, deadline);
        } catch (GraphException unavailable) {
            // Senders redeliver only on a non-2xx answer. Alerts decided so far are remembered, so the redelivery
            // answers them the same way and goes on from here.
            throw new IntuneUnavailable(unavailable.failure().code());
        }
        AlertOutcome remembered = deliveries.remember(source.name(), alert, decided, clock.instant());
        audited(source, remembered);
        return current(remembered);
    }

    /** An alert that named a device goes on that device's audit trail, once (a redelivery is not a new event). */
    private void audited(WebhookSource source, AlertOutcome outcome) {
        if (outcome.deviceId() != null) {
            audit.recordDone(AuditEvent.of(outcome.deviceId(), outcome.lockId(), source.name(), null,
                    source.lockSource(), AuditEvent.WEBHOOK_ALERT, outcome.result().json(),
                    "alert " + outcome.alertId() + (outcome.reason() == null ? "" : ": " + outcome.reason()),
                    clock.instant()));
        }
    }

    /** A remembered outcome, with its lock's status as it stands now. */
    private AlertOutcome current(AlertOutcome outcome) {
        if (outcome.lockId() == null) {
            return outcome;
        }
        return locks.recorded(outcome.lockId()).map(lock -> outcome.withLockStatus(lock.status().name()))
                .orElse(outcome);
    }

    private AlertOutcome decide(WebhookSource source, Alert alert, Map<String, String> lockedNow, Instant deadline) {
        if (!alert.firing()) {
            return AlertOutcome.of(alert, Result.IGNORED, "Only firing alerts lock; this one is not firing.");
        }
        if (source.minimumSeverity().isPresent()) {
            Optional<Severity> severity = Severity.named(alert.severity());
            if (severity.isEmpty() || severity.get().compareTo(source.minimumSeverity().get()) < 0) {
                return AlertOutcome.of(alert, Result.IGNORED, "Severity '" + alert.severity()
                        + "' is below this source's minimum, " + source.minimumSeverity().get() + ".");
            }
        }
        if (alert.device() == null) {
            return AlertOutcome.of(alert, Result.UNMATCHED, "The alert names no device.");
        }
        if (DeviceMatch.needsGraph(alert.device()) && !GraphDeadline.leavesTimeForACall(deadline, clock)) {
            return AlertOutcome.of(alert, Result.QUEUED, "Recorded; the device is matched and locked within a few "
                    + "minutes by the retry sweep. A redelivery answers with the outcome.");
        }
        if (alert.device().kind() == Alert.IdentityKind.USER) {
            return usersDevices(source, alert);
        }
        DeviceMatch match = DeviceMatch.of(alert.device(), intune);
        if (match.candidates() == 0) {
            return AlertOutcome.of(alert, Result.UNMATCHED, "No Intune device has " + describe(alert.device()) + ".");
        }
        if (!match.unique()) {
            return new AlertOutcome(alert.alertId(), Result.AMBIGUOUS, null, null, null, match.candidates()
                    + " Intune devices have " + describe(alert.device()) + "; none was locked.", match.candidates());
        }
        String deviceId = match.deviceId();
        if (lockedNow.containsKey(deviceId)) {
            return new AlertOutcome(alert.alertId(), Result.ALREADY_LOCKED, deviceId, lockedNow.get(deviceId), null,
                    "Another alert of this delivery already locked the device.", null);
        }
        Optional<AlertOutcome> coolingDown = coolingDown(source, alert, deviceId);
        if (coolingDown.isPresent()) {
            return coolingDown.get();
        }
        AlertOutcome locked = lock(source, alert, deviceId, deadline);
        if (locked.lockId() != null) {
            lockedNow.put(deviceId, locked.lockId());
        }
        return locked;
    }

    /**
     * An alert naming a user locks that user's devices as one batch, where the source allows it and the user has no
     * more devices than the source's cap; the batch id comes from the alert, so a redelivery finds the same batch.
     */
    private AlertOutcome usersDevices(WebhookSource source, Alert alert) {
        String user = alert.device().value();
        if (!source.locksUsers()) {
            return AlertOutcome.of(alert, Result.REFUSED, "This source may not lock a user's devices (its alerts "
                    + "lock only the device they name; " + WebhookSource.variable(source.name(), "USER_LOCKS")
                    + " allows it).");
        }
        if (!LockBatches.namesAUser(user)) {
            return AlertOutcome.of(alert, Result.UNMATCHED, "'" + user + "' is not a user principal name or an "
                    + "Entra object id.");
        }
        String batchId = UUID.nameUUIDFromBytes(("webhook-batch\n" + source.name() + "\n" + alert.deliveryKey())
                .getBytes(StandardCharsets.UTF_8)).toString();
        LockBatches.AlertBatch batch = batches.startForAlert(batchId, truncate("Alert " + alert.alertId() + " from "
                + source.name() + (alert.summary() == null ? "" : ": " + alert.summary())), user,
                new Caller(source.lockSource(), null, Set.of()), source.userLocks());
        if (batch.started()) {
            return new AlertOutcome(alert.alertId(), Result.LOCKED, null, null, null, "Locking the " + batch.devices()
                    + " managed devices of " + user + " (GET /v1/lock-batches/" + batchId + ").", batch.devices(),
                    batchId);
        }
        if (batch.devices() == 0) {
            return AlertOutcome.of(alert, Result.UNMATCHED, "Intune lists no managed device for user " + user + ".");
        }
        return new AlertOutcome(alert.alertId(), Result.REFUSED, null, null, null, "User " + user + " has more than "
                + "the " + source.userLocks() + " managed devices this source may lock per alert; nothing was locked.",
                batch.devices());
    }

    /** The cool-down: a device locked within the source's cool-down is not locked again by its alerts. */
    private Optional<AlertOutcome> coolingDown(WebhookSource source, Alert alert, String deviceId) {
        if (source.coolDown().isZero()) {
            return Optional.empty();
        }
        Instant since = clock.instant().minus(source.coolDown());
        return locks.latestLock(deviceId)
                .filter(recent -> recent.requestedAt().isAfter(since))
                .filter(recent -> recent.status() != LockStatus.REJECTED && recent.status() != LockStatus.FAILED)
                .map(recent -> new AlertOutcome(alert.alertId(), Result.ALREADY_LOCKED, deviceId, recent.lockId(),
                        recent.status().name(), "The device was locked at " + recent.requestedAt() + " (lock "
                                + recent.lockId() + "); alerts within this source's cool-down of "
                                + source.coolDown().toMinutes() + " min do not lock it again.", null));
    }

    private AlertOutcome lock(WebhookSource source, Alert alert, String deviceId, Instant deadline) {
        String reason = truncate("Alert " + alert.alertId() + " from " + source.name()
                + (alert.summary() == null ? "" : ": " + alert.summary()));
        Caller sender = new Caller(source.lockSource(), null, Set.of());
        try {
            LockResult result = locks.requestLock(LockRequest.validated(new LockRequest(deviceId, reason, false),
                    null), idempotencyKey(source, alert), source.lockSource(), sender, deadline);
            Lock lock = result.lock();
            if (lock.status() == LockStatus.REJECTED) {
                return new AlertOutcome(alert.alertId(), Result.REFUSED, deviceId, lock.lockId(), lock.status().name(),
                        "Intune refused the lock command (" + lock.lastError().code() + ").", null);
            }
            return new AlertOutcome(alert.alertId(), Result.LOCKED, deviceId, lock.lockId(), lock.status().name(),
                    null, null);
        } catch (LockInFlight inFlight) {
            return new AlertOutcome(alert.alertId(), Result.ALREADY_LOCKED, deviceId, inFlight.lockId(), null,
                    "A lock for this device is already in flight.", null);
        } catch (MacPinOutstanding outstanding) {
            return new AlertOutcome(alert.alertId(), Result.ALREADY_LOCKED, deviceId, outstanding.lock().lockId(),
                    null, "This Mac is locked and its recovery PIN has not been used yet.", null);
        } catch (PlatformNotLockable refused) {
            return new AlertOutcome(alert.alertId(), Result.REFUSED, deviceId, null, null, refused.getMessage(),
                    null);
        } catch (DeviceNotFound gone) {
            return AlertOutcome.of(alert, Result.UNMATCHED, "No Intune device has " + describe(alert.device()) + ".");
        }
    }

    /** The same alert, redelivered while the first delivery is still running, maps to the same lock. */
    private static String idempotencyKey(WebhookSource source, Alert alert) {
        try {
            return "webhook-" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest((source.name() + "\n" + alert.deliveryKey()).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String describe(Alert.DeviceRef ref) {
        String kind = switch (ref.kind()) {
            case INTUNE_DEVICE_ID -> "Intune device id";
            case AZURE_AD_DEVICE_ID -> "Entra device id";
            case SERIAL_NUMBER -> "serial number";
            case DEVICE_NAME -> "device name";
            case USER -> "user";
        };
        return kind + " '" + ref.value() + "'";
    }

    private JsonNode parse(byte[] body) {
        try {
            return json.readTree(body);
        } catch (java.io.IOException unreadable) {
            throw new UnreadablePayload("The payload is not valid JSON.");
        }
    }

    private static String truncate(String text) {
        return text.length() <= MAX_REASON ? text : text.substring(0, MAX_REASON - 1) + "…";
    }
}
